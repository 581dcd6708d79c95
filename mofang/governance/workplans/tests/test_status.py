"""The status rule's boundaries (README: 状态规则). Items are evaluated in memory, on a given day."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofang.governance.workplans.models import Direction, Milestone, ProgressReport, WorkItem, WorkPlan
from mofang.governance.workplans.status import Status, evaluate, months_elapsed

JULY = dt.date(2026, 7, 15)  # six months of 2026 are over


def item(target=None, baseline=None, direction=Direction.HIGHER, indicator=""):
    return WorkItem(
        plan=WorkPlan(year=2026),
        number=1,
        title="事项",
        target_value=_d(target),
        baseline=_d(baseline),
        direction=direction,
        indicator_code=indicator,
    )


def _d(v):
    return None if v is None else Decimal(str(v))


def rep(month="2026-07", value=None, percent=None):
    return ProgressReport(month=month, text="进展", value=_d(value), percent=_d(percent))


def status(it, *reports, today=JULY, milestones=(), measured=None):
    return evaluate(
        it, today=today, reports=list(reports), milestones=list(milestones), measured=measured, measure_it=False
    ).status


def test_months_elapsed_counts_the_months_of_the_year_that_are_over():
    assert months_elapsed(2026, dt.date(2026, 1, 31)) == 0
    assert months_elapsed(2026, JULY) == 6
    assert months_elapsed(2026, dt.date(2027, 1, 1)) == 12
    assert months_elapsed(2026, dt.date(2025, 12, 31)) == 0


def test_nothing_reported_is_not_started():
    assert status(item(46)) == Status.NOT_STARTED


def test_nothing_reported_with_an_overdue_milestone_is_behind():
    ms = Milestone(due=dt.date(2026, 6, 30), description="出台方案")
    assert status(item(), milestones=[ms]) == Status.BEHIND


@pytest.mark.parametrize(
    "value,expected",
    [
        ("42.99", Status.BEHIND),  # below the schedule 40 + (46 − 40) × 6/12 = 43
        ("43", Status.ON_TRACK),  # exactly on the schedule
        ("46", Status.ON_TRACK),  # the year's target met exactly: done, not 超额
        ("46.01", Status.EXCEEDED),  # beyond the year's target
    ],
)
def test_a_numeric_target_is_pro_rated_from_the_baseline_by_month(value, expected):
    assert status(item(46, baseline=40), rep(value=value)) == expected


def test_without_a_baseline_the_schedule_starts_at_zero():
    assert status(item(2610), rep(value=1305)) == Status.ON_TRACK  # 2610 × 6/12
    assert status(item(2610), rep(value=1304)) == Status.BEHIND


@pytest.mark.parametrize(
    "value,expected",
    [
        ("11.01", Status.BEHIND),  # above the schedule 10 + (12 − 10) × 6/12 = 11
        ("11", Status.ON_TRACK),
        ("10", Status.ON_TRACK),  # the target met exactly
        ("9.99", Status.EXCEEDED),  # lower than the target
    ],
)
def test_a_lower_is_better_target_comes_down_from_the_baseline(value, expected):
    assert status(item(10, baseline=12, direction=Direction.LOWER), rep(value=value)) == expected


def test_a_lower_is_better_target_without_baseline_is_compared_with_the_target():
    it = item(1, direction=Direction.LOWER)
    assert status(it, rep(value="1")) == Status.ON_TRACK
    assert status(it, rep(value="1.01")) == Status.BEHIND


@pytest.mark.parametrize(
    "percent,expected", [("49.9", Status.BEHIND), ("50", Status.ON_TRACK), ("100", Status.ON_TRACK)]
)
def test_percent_complete_is_compared_with_the_months_over(percent, expected):
    assert status(item(), rep(percent=percent)) == expected


def test_the_latest_month_counts():
    assert status(item(), rep("2026-05", percent=60), rep("2026-07", percent=40)) == Status.BEHIND
    assert status(item(), rep("2026-07", percent=60), rep("2026-05", percent=40)) == Status.ON_TRACK


def test_in_january_any_report_is_on_schedule_and_after_the_year_the_whole_target_is_due():
    assert status(item(), rep("2026-01", percent=0), today=dt.date(2026, 1, 20)) == Status.ON_TRACK
    assert status(item(100), rep("2026-12", value=99), today=dt.date(2027, 2, 1)) == Status.BEHIND


def test_a_milestone_is_overdue_the_day_after_its_date():
    ms = Milestone(due=JULY, description="完成中期评估")
    assert status(item(), rep(percent=80), milestones=[ms]) == Status.ON_TRACK  # due today: not late yet
    assert status(item(), rep(percent=80), milestones=[ms], today=JULY + dt.timedelta(days=1)) == Status.BEHIND
    ms.done_on = JULY
    assert status(item(), rep(percent=80), milestones=[ms], today=JULY + dt.timedelta(days=1)) == Status.ON_TRACK


def test_an_overdue_milestone_makes_even_an_exceeded_figure_behind():
    ms = Milestone(due=dt.date(2026, 3, 31), description="出台行动计划")
    assert status(item(46), rep(value=50), milestones=[ms]) == Status.BEHIND


def test_a_report_with_text_only_is_judged_by_its_milestones():
    assert status(item(), rep()) == Status.ON_TRACK


def test_a_measured_item_uses_the_indicator_value_and_its_target():
    measured = SimpleNamespace(value=Decimal("46.0"), target=Decimal("46"), as_of=None)
    it = item(indicator="preschool.public_share")
    ev = evaluate(it, today=dt.date(2027, 1, 5), reports=[], milestones=[], measured=measured, measure_it=False)
    assert (ev.status, ev.basis, ev.target) == (Status.ON_TRACK, "measured", Decimal("46"))
    below = SimpleNamespace(value=Decimal("45.9"), target=Decimal("46"), as_of=None)
    assert status(it, rep(percent=100), measured=below, today=dt.date(2027, 1, 5)) == Status.BEHIND


def test_a_measured_item_without_data_falls_back_to_the_reports():
    it = item(indicator="preschool.public_share")
    nodata = SimpleNamespace(value=None, target=None, as_of=None)
    assert status(it, rep(percent=60), measured=nodata) == Status.ON_TRACK


@given(
    target=st.integers(1, 10_000),
    baseline=st.integers(0, 10_000),
    a=st.integers(0, 20_000),
    b=st.integers(0, 20_000),
    month=st.integers(1, 12),
)
def test_a_larger_value_never_has_a_worse_status(target, baseline, a, b, month):
    """Monotonic: for a higher-is-better target, more done is never judged worse."""
    rank = {Status.BEHIND: 0, Status.ON_TRACK: 1, Status.EXCEEDED: 2}
    it = item(target, baseline=min(baseline, target))
    low, high = sorted((a, b))
    day = dt.date(2026, month, 10)
    assert rank[status(it, rep(value=low), today=day)] <= rank[status(it, rep(value=high), today=day)]


def test_the_reason_says_what_the_schedule_asks():
    it = item(2610)
    it.unit = "个"
    ev = evaluate(it, today=JULY, reports=[rep(value=1000)], milestones=[], measure_it=False)
    assert ev.reason == "当前1000个，按进度应达1305个"
    ev = evaluate(it, today=JULY, reports=[rep(value=2800)], milestones=[], measure_it=False)
    assert ev.reason == "当前2800个，超过全年目标2610个"
