"""The status of an item (按进度完成 / 超额完成 / 滞后 / 未开始), computed — never stored — by one rule
(the README states it in Chinese; tests/test_status.py proves its boundaries).

M = months of the list's year already over on the evaluation day (0 in January, 12 once the year
has ended); the schedule asks for M/12 of the year's work.

1. 未开始: nothing reported and nothing measured yet — unless a milestone is overdue (then 滞后).
2. 滞后: a milestone whose date has passed (due < today) is not done; or the figure is behind the
   schedule: for a numeric target, value < baseline + (target − baseline) × M/12 (direction
   "higher"; for "lower" the value must not exceed target + (baseline − target) × (12 − M)/12, and
   without a baseline it must not exceed the target); for percent reports, percent < 100 × M/12.
3. 超额完成: the value is beyond the year's target (> target; for "lower": < target).
4. 按进度完成: otherwise — on the schedule exactly counts as on schedule, the target exactly as
   按进度完成 (done), not 超额.

The figure is the indicator value measured from data when the item names an indicator and data
exist (indicator_value for the list's owner region and year, with 数据截至), else the latest
monthly report's value (numeric targets) or percent.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Direction

logger = logging.getLogger(__name__)


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("按进度完成")
    EXCEEDED = "exceeded", _("超额完成")
    BEHIND = "behind", _("滞后")
    NOT_STARTED = "not_started", _("未开始")


STATUS_CSS = {
    Status.ON_TRACK: "tag-green",
    Status.EXCEEDED: "tag-green",
    Status.BEHIND: "tag-red",
    Status.NOT_STARTED: "tag-orange",
}


@dataclass
class Evaluation:
    status: str
    actual: Decimal | None = None  # the figure compared (value or percent)
    expected: Decimal | None = None  # what the schedule asks for now
    target: Decimal | None = None
    basis: str = ""  # "measured" | "value" | "percent" | "milestones" | ""
    as_of: dt.datetime | None = None  # 数据截至 for measured figures
    overdue: list = field(default_factory=list)  # milestones past their date and not done
    latest: Any = None  # the latest ProgressReport
    unit: str = ""  # of actual/expected/target ("%" for percent reports)

    @property
    def label(self) -> str:
        return str(Status(self.status).label)

    @property
    def css(self) -> str:
        return STATUS_CSS[Status(self.status)]

    @property
    def reason(self) -> str:
        if self.status == Status.NOT_STARTED:
            return "尚未报送进展"
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)}个节点逾期未完成")
        unit = self.unit
        if self.status == Status.EXCEEDED and self.actual is not None and self.target is not None:
            parts.append(f"当前{_fmt(self.actual)}{unit}，超过全年目标{_fmt(self.target)}{unit}")
        elif self.actual is not None and self.expected is not None:
            parts.append(f"当前{_fmt(self.actual)}{unit}，按进度应达{_fmt(self.expected)}{unit}")
        return "；".join(parts)


def _fmt(d: Decimal) -> str:
    q = d.quantize(Decimal("0.01"))
    return f"{q.normalize():f}" if q == q.to_integral() else f"{q:f}".rstrip("0")


def months_elapsed(year: int, today: dt.date) -> int:
    """Months of `year` fully over on `today` (0…12)."""
    if today.year < year:
        return 0
    if today.year > year:
        return 12
    return today.month - 1


def expected_value(target: Decimal, baseline: Decimal | None, direction: str, months: int) -> Decimal:
    if direction == Direction.LOWER:
        if baseline is None:
            return target
        return target + (baseline - target) * (12 - months) / 12
    return (baseline or Decimal(0)) + (target - (baseline or Decimal(0))) * months / 12


def measure(item):
    """The item's indicator value for its list's region and year, or None (no indicator, no data,
    or the indicators core not available)."""
    if not item.indicator_code:
        return None
    try:
        from mofang.platform.indicators.selectors import indicator_value
    except ImportError:
        return None
    try:
        with transaction.atomic():  # a failing read must not break the caller's transaction
            return indicator_value(item.indicator_code, item.plan.owner, str(item.plan.year))
    except Exception:  # the figure is optional: the page shows the reported progress instead
        logger.exception("indicator %s unavailable for work item %s", item.indicator_code, item.pk)
        return None


def evaluate(
    item, *, today: dt.date | None = None, reports=None, milestones=None, measured=None, measure_it: bool = True
) -> Evaluation:
    """The status of `item` on `today`. `reports`/`milestones` may be passed prefetched."""
    today = today or timezone.localdate()
    reports = list(item.reports.all()) if reports is None else list(reports)
    milestones = list(item.milestones.all()) if milestones is None else list(milestones)
    if measured is None and measure_it:
        measured = measure(item)
    months = months_elapsed(item.plan.year, today)
    overdue = [m for m in milestones if m.done_on is None and m.due < today]
    latest = max(reports, key=lambda r: r.month) if reports else None

    target = item.target_value
    actual: Decimal | None = None
    basis: str | None = None
    as_of = None
    if measured is not None and measured.value is not None:
        actual, basis, as_of = measured.value, "measured", measured.as_of
        if target is None:
            target = measured.target
    elif latest is not None and target is not None and latest.value is not None:
        actual, basis = latest.value, "value"
    elif latest is not None and latest.percent is not None:
        actual, basis = latest.percent, "percent"
    elif latest is not None:
        basis = "milestones"

    ev = Evaluation(
        Status.ON_TRACK,
        actual=actual,
        target=target,
        basis=basis or "",
        as_of=as_of,
        overdue=overdue,
        latest=latest,
        unit="%" if basis == "percent" else item.unit,
    )
    if basis is None:
        ev.status = Status.BEHIND if overdue else Status.NOT_STARTED
        return ev
    behind = bool(overdue)
    if basis in ("measured", "value") and target is not None and actual is not None:
        ev.expected = expected = expected_value(target, item.baseline, item.direction, months)
        if item.direction == Direction.LOWER:
            behind = behind or actual > expected
            exceeded = actual < target
        else:
            behind = behind or actual < expected
            exceeded = actual > target
        ev.status = Status.BEHIND if behind else Status.EXCEEDED if exceeded else Status.ON_TRACK
        return ev
    if basis == "percent" and actual is not None:
        ev.expected = expected = Decimal(100) * months / 12
        behind = behind or actual < expected
    ev.status = Status.BEHIND if behind else Status.ON_TRACK
    return ev


def measurer():
    """measure() for many items: one indicator read per indicator, region and year, not one per
    item (the items of a list share its region and year)."""
    seen = {}

    def measured(item):
        key = (item.indicator_code, item.plan.owner_id, item.plan.year)
        if key not in seen:
            seen[key] = measure(item)
        return seen[key]

    return measured


def evaluate_many(items, *, today: dt.date | None = None) -> dict[int, Evaluation]:
    """Evaluations for a list of items (reports and milestones prefetched: a fixed number of queries
    plus one indicator read per indicator measuring them)."""
    from .models import Milestone, ProgressReport

    items = list(items)
    ids = [i.pk for i in items]
    by_reports: dict[int, list] = {i: [] for i in ids}
    by_ms: dict[int, list] = {i: [] for i in ids}
    for r in ProgressReport.objects.filter(item_id__in=ids).order_by("item_id", "month"):
        by_reports[r.item_id].append(r)
    for m in Milestone.objects.filter(item_id__in=ids):
        by_ms[m.item_id].append(m)
    measured = measurer()
    return {
        i.pk: evaluate(
            i, today=today, reports=by_reports[i.pk], milestones=by_ms[i.pk], measured=measured(i), measure_it=False
        )
        for i in items
    }
