"""The region dashboard: open hazards by category and by responsible unit now, and per unit in
a period the on-time closure rate and the median time to close (the slowest departments first).
Everything is counted through the scope layer (visible_to), so nothing out of scope is counted."""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from mofang.platform.cases.models import OPEN_CASES, Case, overdue_condition
from mofang.platform.orgs.models import OrgKind

from .cases import CATEGORIES, CODE
from .roles import VIEW


def hazards(user, region=None):
    qs = Case.objects.visible_to(user, VIEW).filter(case_type=CODE)
    if region is not None:
        qs = qs.filter(
            Q(reporting_org__path__startswith=region.path) | Q(responsible_org__path__startswith=region.path)
        )
    return qs


@dataclass(frozen=True)
class _Unit:
    """A responsible unit as the dashboard names it, read through the visible cases themselves."""

    pk: int
    name: str
    path: str
    kind: str


def _hours(delta) -> float | None:
    return round(delta.total_seconds() / 3600, 1) if delta is not None else None


def build(user, *, region=None, start: dt.date, end: dt.date, now=None) -> dict:
    """Figures for the dashboard; `start`/`end` (inclusive dates) bound the period of the per-unit table."""
    now = now or timezone.now()
    qs = hazards(user, region)
    open_q = OPEN_CASES
    open_now = qs.open()
    labels = dict(CATEGORIES)
    by_category = {r["category"]: r["n"] for r in open_now.values("category").order_by().annotate(n=Count("pk"))}
    categories = [(label, by_category.get(code, 0)) for code, label in CATEGORIES]
    categories += [(code or "未分类", n) for code, n in by_category.items() if code not in labels]

    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    in_period = qs.filter(opened_at__gte=lo, opened_at__lt=hi)
    rows = {}
    units = {}
    for r in (
        qs.filter(open_q | Q(opened_at__gte=lo, opened_at__lt=hi))
        # the unit's own columns ride along with its id (same groups), so no unscoped look-up is needed
        .values("responsible_org", "responsible_org__name", "responsible_org__path", "responsible_org__kind")
        .order_by()
        .annotate(
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=overdue_condition(now)),
            opened=Count("pk", filter=Q(opened_at__gte=lo, opened_at__lt=hi)),
            closed=Count("pk", filter=~open_q & Q(opened_at__gte=lo, opened_at__lt=hi)),
            on_time=Count("pk", filter=~open_q & Q(opened_at__gte=lo, opened_at__lt=hi, closed_on_time=True)),
        )
    ):
        org_id = r["responsible_org"]
        units[org_id] = _Unit(
            org_id, r.pop("responsible_org__name"), r.pop("responsible_org__path"), r.pop("responsible_org__kind")
        )
        rows[org_id] = {**r, "claims": [], "closes": []}
    for org_id, opened, claimed, closed in in_period.values_list(
        "responsible_org", "opened_at", "first_claimed_at", "closed_at"
    ).order_by():
        if claimed:
            rows[org_id]["claims"].append(claimed - opened)
        if closed:
            rows[org_id]["closes"].append(closed - opened)
    table = []
    for org_id, r in rows.items():
        unit = units[org_id]
        med_claim = statistics.median(r["claims"]) if r["claims"] else None
        med_close = statistics.median(r["closes"]) if r["closes"] else None
        table.append(
            {
                "unit": unit,
                "department": unit.kind == OrgKind.DEPARTMENT,
                "open": r["open"],
                "overdue": r["overdue"],
                "opened": r["opened"],
                "closed": r["closed"],
                "on_time": r["on_time"],
                "rate": round(100 * r["on_time"] / r["closed"], 1) if r["closed"] else None,
                "median_claim_h": _hours(med_claim),
                "median_close_h": _hours(med_close),
            }
        )
    table.sort(key=lambda t: t["unit"].path)
    slowest = sorted(
        (t for t in table if t["department"] and t["median_close_h"] is not None),
        key=lambda t: (-t["median_close_h"], t["unit"].path),
    )[:5]
    closed = sum(t["closed"] for t in table)
    return {
        "open_total": sum(n for _, n in categories),
        "overdue_total": sum(t["overdue"] for t in table),
        "opened_total": sum(t["opened"] for t in table),
        "closed_total": closed,
        "on_time_rate": round(100 * sum(t["on_time"] for t in table) / closed, 1) if closed else None,
        "categories": categories,
        "units": table,
        "slowest": slowest,
        "chart_units": [
            {
                "name": ("待分派·" if not t["department"] else "") + t["unit"].name,
                "open": t["open"],
                "overdue": t["overdue"],
            }
            for t in table
            if t["open"]
        ],
    }
