"""Reports per case type and responsible unit, always through the scope layer (visible_to).

A case belongs to the period in which it was opened ([start, end)). Per unit: cases opened,
open now, overdue now, closed, closed on time (closed no later than the deadline in force),
the on-time closure rate, the median time to first claim and to close, and re-openings.
"""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from mofang.platform.orgs.models import OrgUnit

from .models import OPEN_CASES, Case, overdue_condition
from .registry import case_type


@dataclass
class UnitReport:
    unit: OrgUnit
    opened: int
    open: int
    overdue: int
    closed: int
    closed_on_time: int
    reopened: int
    median_claim: dt.timedelta | None
    median_close: dt.timedelta | None

    @property
    def on_time_rate(self) -> float | None:
        """Share of closed cases closed on time (None when nothing closed yet)."""
        return self.closed_on_time / self.closed if self.closed else None


def _median(values) -> dt.timedelta | None:
    seconds = [v.total_seconds() for v in values if v is not None]
    return dt.timedelta(seconds=statistics.median(seconds)) if seconds else None


def case_report(user, code: str, *, start, end, region=None, now=None) -> list[UnitReport]:
    """One row per responsible unit holding cases of type `code` opened in [start, end) that `user`
    may see (the type's view permission); a case outside the user's scope is never counted.
    With `region` (an OrgUnit), only responsible units inside its subtree."""
    ct = case_type(code)
    now = now or timezone.now()
    if not ct.view_permission:
        return []
    cases = Case.objects.visible_to(user, ct.view_permission).filter(
        case_type=code, opened_at__gte=start, opened_at__lt=end
    )
    if region is not None:
        cases = cases.filter(responsible_org__path__startswith=region.path)
    open_q = OPEN_CASES
    rows = (
        cases.values("responsible_org")
        .order_by("responsible_org")
        .annotate(
            opened=Count("pk"),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=overdue_condition(now)),
            closed=Count("pk", filter=~open_q),
            on_time=Count("pk", filter=~open_q & Q(closed_on_time=True)),
            reopened=Sum("reopened_count"),
        )
    )
    claims: dict[int, list] = {}
    closes: dict[int, list] = {}
    for org_id, opened_at, claimed_at, closed_at in cases.values_list(
        "responsible_org", "opened_at", "first_claimed_at", "closed_at"
    ).order_by():
        if claimed_at:
            claims.setdefault(org_id, []).append(claimed_at - opened_at)
        if closed_at:
            closes.setdefault(org_id, []).append(closed_at - opened_at)
    rows = list(rows)
    units = OrgUnit.objects.in_bulk([r["responsible_org"] for r in rows])
    return [
        UnitReport(
            unit=units[r["responsible_org"]],
            opened=r["opened"],
            open=r["open"],
            overdue=r["overdue"],
            closed=r["closed"],
            closed_on_time=r["on_time"],
            reopened=r["reopened"] or 0,
            median_claim=_median(claims.get(r["responsible_org"], [])),
            median_close=_median(closes.get(r["responsible_org"], [])),
        )
        for r in sorted(rows, key=lambda r: units[r["responsible_org"]].path)
    ]
