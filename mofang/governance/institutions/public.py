"""What the public may read (no login): the lists in force and a report's outcome by its query
code. Only published facts: effective list entries (started, not ended), never reporters."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from mofang.platform.accounts.ratelimit import Limit, Rate
from mofang.platform.cases.models import CaseEvent
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit

from .models import ListEntry, ListKind, PublicReport
from .services import QUERY_ALPHABET

# The public pages' limits (the platform's one limiter; clients by browser session and real address):
# only accepted reports count, and only look-ups that found nothing (guessing codes).
REPORTS_PER_SESSION = Limit(
    "institutions.report.session", (Rate(3, 600, "提交过于频繁：同一浏览器10分钟内最多提交3次举报，请稍后再试"),)
)
REPORTS_PER_ADDRESS = Limit(
    "institutions.report.address", (Rate(5, 3600, "提交过于频繁：同一网络1小时内最多提交5次举报，请稍后再试"),)
)
QUERY_MISSES = Limit(
    "institutions.query.address", (Rate(30, 3600, "查询过于频繁：同一网络1小时内未查到的查询过多，请稍后再试"),)
)


def regions() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind__in=REGION_KINDS).order_by("path"))


def cities() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind="city").order_by("path"))


def counties() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind="county").order_by("path"))


def region_by_pk(raw) -> OrgUnit | None:
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:  # beyond the database's integers: no such region
        return None
    return OrgUnit.objects.filter(kind__in=REGION_KINDS, pk=pk).first()


def lists_in_force(region: OrgUnit | None, on: dt.date | None = None, name: str = "") -> dict[str, list[ListEntry]]:
    """Entries in force on `on` published by `region`, a region above it or one below it (and whose
    institution's name contains `name`, when given)."""
    on = on or timezone.localdate()
    qs = ListEntry.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    if name:
        qs = qs.filter(institution__name__icontains=name)
    if region is not None:
        above = [a.pk for a in OrgUnit.objects.get_ancestors(region)]
        qs = qs.filter(Q(region__path__startswith=region.path) | Q(region__in=above))
    qs = qs.select_related("institution", "region").order_by("region__path", "institution__name", "pk")
    out: dict[str, list[ListEntry]] = {ListKind.WHITE: [], ListKind.BLACK: []}
    for e in qs[:2000]:
        out[e.kind].append(e)
    return out


def report_outcome(code: str) -> dict | None:
    """The reporter's view of a report: state, handling result, reward — nothing about who."""
    code = (code or "").strip().upper()
    if len(code) != 10 or any(c not in QUERY_ALPHABET for c in code):
        return None
    report = PublicReport.objects.filter(query_code=code).select_related("case", "county").first()
    if report is None:
        return None
    case = report.case
    result = ""
    if not case.is_open:
        last = CaseEvent.objects.filter(case=case, kind="transition").order_by("-at", "-id").first()
        result = last.comment if last else ""
    return {
        "number": case.number,
        "target": report.target_name,
        "county": report.county.name,
        "submitted_at": report.submitted_at,
        "state": case.state_label,
        "closed": not case.is_open,
        "closed_at": case.closed_at,
        "result": result,
        "reward": report.reward_amount,
    }
