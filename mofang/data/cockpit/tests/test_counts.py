"""One rule per figure: the cockpit's rows of open (办理中) and overdue (逾期) items count exactly what
the pages that list those items show — for case types, the engine's case lists and the module's own
dashboard; for each module's counter, the page its row links to — on data where a drifted copy of
a rule would count differently."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from mofang.governance.campus_safety.cases import CODE as HAZARD
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.testing import cockpit_row, list_total, make_user, page_text


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _hazard(world, title, school=None):
    return cases.open_case(
        HAZARD, title=title, reporting_org=school or world.school, acting_user=None, category="traffic"
    )


def test_open_and_overdue_cases_are_counted_alike_by_the_cockpit_and_the_case_pages(world):
    now = timezone.now()
    _hazard(world, "刚上报")  # open, due later
    late = _hazard(world, "已逾期", world.school2)
    Case.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(hours=1))
    # 待学校确认: open with no deadline of its own
    waiting = _hazard(world, "待确认")
    cases.claim(waiting, acting_user=world.county_admin)
    cases.fire(waiting, "start", acting_user=world.county_admin)
    cases.fire(waiting, "resolve", acting_user=world.county_admin, comment="已处置")
    # closed: never open nor overdue, whatever its last deadline said
    closed = _hazard(world, "已撤回")
    principal = make_user("ck_xz", "principal", world.school, full_name="张校长")
    cases.fire(closed, "withdraw", acting_user=principal, comment="误报")
    Case.objects.filter(pk=closed.pk).update(due_at=now - dt.timedelta(days=1))
    far = _hazard(world, "江山逾期", world.other_school)
    Case.objects.filter(pk=far.pk).update(due_at=now - dt.timedelta(hours=1))

    c = _client(world.county_admin)
    assert cockpit_row(c, f"case.{HAZARD}") == (3, 1)
    assert list_total(c, f"/cases/?case_type={HAZARD}&state_kind=open") == 3
    assert list_total(c, f"/cases/t/{HAZARD}/?overdue=1") == 1
    card = page_text(c, "/cases/").split("校园安全隐患</a></div>", 1)[1].split("</div>", 1)[0]
    assert "办理中 <strong>3</strong> 件" in card and ">1</strong> 件" in card
    dashboard = page_text(c, "/campus_safety/dashboard/")
    assert '<div class="label">未办结隐患</div><div class="value">3</div>' in dashboard
    assert '<div class="label">逾期隐患</div><div class="value">1</div>' in dashboard
