"""Reports per type and responsible unit, inside the reader's scope."""

import datetime as dt

from django.utils import timezone

from mofang.platform.cases import services
from mofang.platform.cases.reports import case_report

from .conftest import HAZARD

H = dt.timedelta(hours=1)


def _close(case, world, at, *, confirm=True):
    services.claim(case, acting_user=world.liaison, now=at)
    services.fire(case, "start", acting_user=world.liaison, now=at)
    services.fire(case, "resolve", acting_user=world.liaison, comment="已处置", now=at + H)
    if confirm:
        services.fire(case, "confirm", acting_user=world.principal, now=at + 2 * H)


def test_a_county_report_counts_open_overdue_on_time_and_medians(report, world):
    t0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)
    on_time = report(now=t0)
    _close(on_time, world, t0 + H)  # claimed after 1 h, closed after 3 h
    late = report(now=t0)
    _close(late, world, t0 + 3 * H)  # claimed after 3 h, handling for 72 h, resolved, confirmed 5 h after opening
    services.fire(late, "recheck", acting_user=world.principal, comment="回头看：反弹", now=t0 + 6 * H)
    services.claim(late, acting_user=world.liaison, now=t0 + 7 * H)
    services.fire(late, "start", acting_user=world.liaison, now=t0 + 7 * H)
    services.fire(late, "give_up", acting_user=world.liaison, comment="无法办理", now=t0 + 200 * H)  # past 72 h
    stale = report(now=t0)  # never claimed: overdue now
    report(now=t0, responsible_org=world.other_dept, reporting_org=world.tree.other_school, acting_user=None)

    rows = case_report(world.county_admin, HAZARD.code, start=t0 - H, end=t0 + H)
    assert [r.unit for r in rows] == [world.dept]  # the other county's case is neither listed nor counted
    row = rows[0]
    assert (row.opened, row.open, row.overdue, row.closed, row.closed_on_time, row.reopened) == (3, 1, 1, 2, 1, 1)
    assert row.on_time_rate == 0.5
    assert row.median_claim == 2 * H  # first claims after 1 h and 3 h
    assert row.median_close == dt.timedelta(hours=(3 + 200) / 2)
    assert stale.state == "reported"


def test_a_report_is_empty_without_the_view_permission_and_per_period(report, world):
    t0 = timezone.now() - dt.timedelta(days=1)
    report(now=t0)
    assert case_report(world.teacher, HAZARD.code, start=t0 - H, end=t0 + H) == []
    assert case_report(world.county_admin, HAZARD.code, start=t0 + H, end=t0 + 2 * H) == []
    assert case_report(world.other_admin, HAZARD.code, start=t0 - H, end=t0 + H) == []
    assert case_report(world.liaison, HAZARD.code, start=t0 - H, end=t0 + H)[0].opened == 1
