"""Refreshing: incremental refresh re-collects only changed orgs; rules notify once per violation."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from mofang.platform.indicators import analytics, refresh, selectors
from mofang.platform.indicators.models import FactTotal, ValidationRule, Violation
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.jobs.models import Job
from mofang.platform.notifications.models import InboxMessage
from mofang.platform.testing import make_user

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)

STATE: dict[str, Any] = {"values": {}, "changed": set(), "asked": []}


@pytest.fixture
def tracked(db):
    STATE.update(values={}, changed=set(), asked=[])

    def collect_orgs(period, orgs):
        STATE["asked"].append(sorted(orgs))
        return [(o, v) for o, v in STATE["values"].items() if o in orgs]

    register_fact_source(
        FactSource(
            "t.tracked",
            "跟踪事实",
            lambda p: list(STATE["values"].items()),
            changed_orgs=lambda since: STATE["changed"],
            collect_orgs=collect_orgs,
        )
    )
    yield STATE
    FACT_SOURCES.pop("t.tracked", None)


def test_incremental_refresh_collects_only_changed_orgs_and_updates_their_ancestors(tree, tracked):
    tracked["values"].update({tree.school.pk: 3, tree.other_school.pk: 4})
    analytics.refresh_fact("t.tracked", THIS_YEAR, full=True)
    assert FactTotal.objects.get(fact="t.tracked", org=tree.province).value == 7
    tracked["values"][tree.school.pk] = 10
    tracked["changed"] = {tree.school.pk}
    out = analytics.refresh_fact("t.tracked", THIS_YEAR)
    assert out["mode"] == "incremental" and tracked["asked"] == [[tree.school.pk]]
    assert out["totals"] == 4  # the school, 常山县, 衢州市, 浙江省 — not 江山市 or its school
    assert FactTotal.objects.get(fact="t.tracked", org=tree.province).value == 14
    assert FactTotal.objects.get(fact="t.tracked", org=tree.other_county).value == 4
    tracked["values"].pop(tree.school.pk)  # records gone at a changed org
    analytics.refresh_fact("t.tracked", THIS_YEAR)
    assert not FactTotal.objects.filter(fact="t.tracked", org=tree.county).exists()
    assert FactTotal.objects.get(fact="t.tracked", org=tree.province).value == 4


def test_as_of_is_the_time_of_the_last_refresh(tree, tracked):
    tracked["values"][tree.school.pk] = 1
    before = timezone.now()
    analytics.refresh_fact("t.tracked", THIS_YEAR, full=True)
    assert analytics.ensure_fresh("t.tracked", THIS_YEAR) >= before


def test_a_violated_rule_notifies_the_responsible_unit_once(tree, tracked):
    principal = make_user("ind_rule_xz", "principal", tree.school)
    make_user("ind_rule_js", "principal", tree.other_school)
    ValidationRule.objects.create(
        code="t_rule",
        name="跟踪事实不超过10",
        left="t.tracked",
        operator="<=",
        right_constant=Decimal(10),
        org_kind="school",
    )
    tracked["values"].update({tree.school.pk: 12, tree.other_school.pk: 5})
    analytics.refresh_fact("t.tracked", THIS_YEAR, full=True)
    assert refresh.check_rules({THIS_YEAR})["new"] == 1
    assert refresh.check_rules({THIS_YEAR})["new"] == 0  # not on every refresh
    v = Violation.objects.get(rule__code="t_rule")
    assert v.org_id == tree.school.pk and v.resolved_at is None
    inbox = InboxMessage.objects.filter(title__contains="跟踪事实不超过10")
    assert [m.recipient for m in inbox] == [principal]
    tracked["values"][tree.school.pk] = 9
    analytics.refresh_fact("t.tracked", THIS_YEAR, full=True)
    assert refresh.check_rules({THIS_YEAR})["resolved"] == 1
    assert Violation.objects.get(pk=v.pk).resolved_at is not None


def test_the_periodic_jobs_start_a_refresh_job(tree, tracked, django_capture_on_commit_callbacks):
    tracked["values"][tree.school.pk] = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = refresh.INCREMENTAL.run(refresh.incremental_period(timezone.now()))
    job.refresh_from_db()
    assert isinstance(job, Job) and job.status == "succeeded", job.log
    assert "已刷新" in job.message
    assert refresh.NIGHTLY.period_of(timezone.now() + timedelta(days=1)) != refresh.NIGHTLY.period_of(timezone.now())


def test_refresh_all_keeps_going_when_a_source_fails(tree):
    def broken(period):
        raise RuntimeError("boom")

    register_fact_source(FactSource("t.broken", "坏数据源", broken))
    try:
        from mofang.platform.indicators.models import Indicator

        Indicator.objects.create(code="t_broken", name="坏指标", numerator="t.broken")
        out = refresh.refresh_all(full=True)
        assert any(f.startswith("t.broken@") for f in out["failed"])
        assert selectors.indicator_value("t_broken", tree.county, THIS_YEAR) is None  # 暂无数据, not an error
        assert selectors.indicator_value("students", tree.county, THIS_YEAR) is not None
    finally:
        FACT_SOURCES.pop("t.broken", None)
