"""Inspector staffing rules per county (宁波《深化新时代教育督导体制机制改革实施办法》, seed 000):

- 1∶5 — at least one inspector per five schools: ceil(schools / 5);
- 1∶1 — a school with MORE than 1,800 students has an inspector of its own (1,800 is shared);
- at least 30% of the inspectors are full-time (专职): full × 10 ≥ total × 3 (30% exactly passes).

`check()` is pure (plain data in, plain data out) so the rules and the proposal are property-tested;
`county_report()` reads one county's facts in a fixed number of queries.
"""

import math
from dataclasses import dataclass, field

BIG_SCHOOL = 1800  # more than this: one inspector of its own
SCHOOLS_PER_INSPECTOR = 5
FULL_TIME_SHARE = (3, 10)  # at least 3/10


@dataclass(frozen=True)
class SchoolFact:
    id: int
    name: str
    students: int
    order: str = ""  # position in the org tree (materialised path): neighbours first

    @property
    def big(self) -> bool:
        return self.students > BIG_SCHOOL


@dataclass(frozen=True)
class InspectorFact:
    id: int
    name: str
    full_time: bool


@dataclass
class Report:
    schools: int
    big_schools: int
    inspectors: int
    full_time: int
    need_ratio: int  # ceil(schools / 5)
    need_total: int  # big schools one each + ceil(other schools / 5)
    need_full_time: int  # ceil(30% of the inspectors there are)
    shortfall_ratio: int
    shortfall_big: int
    shortfall_full_time: int
    violations: list[str] = field(default_factory=list)  # of the current assignment
    proposal: dict[int, list[int]] | None = None  # inspector id -> school ids
    no_proposal_reason: str = ""

    @property
    def compliant(self) -> bool:
        return not (self.shortfall_ratio or self.shortfall_big or self.shortfall_full_time or self.violations)


def full_time_needed(total: int) -> int:
    num, den = FULL_TIME_SHARE
    return (total * num + den - 1) // den


def propose(schools: list[SchoolFact], inspectors: list[InspectorFact]) -> dict[int, list[int]] | None:
    """Big schools first, one inspector each (full-time inspectors first); then the other schools in
    tree order, cut into ceil(n/5) consecutive groups of near-equal size (neighbours together), one
    group per remaining inspector. None when there are too few inspectors."""
    big = sorted((s for s in schools if s.big), key=lambda s: (s.order, s.id))
    small = sorted((s for s in schools if not s.big), key=lambda s: (s.order, s.id))
    groups = math.ceil(len(small) / SCHOOLS_PER_INSPECTOR)
    if len(big) + groups > len(inspectors):
        return None
    pool = sorted(inspectors, key=lambda i: (not i.full_time, i.id))
    out: dict[int, list[int]] = {i.id: [] for i in pool}
    for school, inspector in zip(big, pool, strict=False):
        out[inspector.id].append(school.id)
    rest = pool[len(big) :]
    for g in range(groups):
        lo, hi = g * len(small) // groups, (g + 1) * len(small) // groups
        out[rest[g].id] = [s.id for s in small[lo:hi]]
    return out


def assignment_violations(
    schools: list[SchoolFact], assignment: dict[int, list[int]], names: dict[int, str] | None = None
) -> list[str]:
    """What is wrong with an assignment (inspector id -> school ids), in Chinese."""
    names = names or {}
    by_id = {s.id: s for s in schools}
    out = []
    held: dict[int, int] = {}
    for inspector, ids in assignment.items():
        who = names.get(inspector, f"督学{inspector}")
        for sid in ids:
            held[sid] = held.get(sid, 0) + 1
        if len(ids) > SCHOOLS_PER_INSPECTOR:
            out.append(f"{who}负责{len(ids)}所学校，超过{SCHOOLS_PER_INSPECTOR}所")
        bigs = [by_id[s] for s in ids if s in by_id and by_id[s].big]
        if bigs and len(ids) > 1:
            out.append(f"{who}负责的{bigs[0].name}学生超过{BIG_SCHOOL}人，应配备专门督学（1∶1）")
    for s in schools:
        if held.get(s.id, 0) == 0:
            out.append(f"{s.name}未确定责任督学")
        elif held[s.id] > 1:
            out.append(f"{s.name}有{held[s.id]}名责任督学")
    return out


def check(
    schools: list[SchoolFact], inspectors: list[InspectorFact], assignment: dict[int, list[int]] | None = None
) -> Report:
    n, total = len(schools), len(inspectors)
    big = sum(1 for s in schools if s.big)
    full = sum(1 for i in inspectors if i.full_time)
    need_ratio = math.ceil(n / SCHOOLS_PER_INSPECTOR)
    need_total = big + math.ceil((n - big) / SCHOOLS_PER_INSPECTOR)
    need_full = full_time_needed(total)
    rep = Report(
        schools=n,
        big_schools=big,
        inspectors=total,
        full_time=full,
        need_ratio=need_ratio,
        need_total=need_total,
        need_full_time=need_full,
        shortfall_ratio=max(0, need_ratio - total),
        shortfall_big=max(0, need_total - max(total, need_ratio)),
        shortfall_full_time=max(0, need_full - full),
    )
    if assignment is not None:
        rep.violations = assignment_violations(schools, assignment, {i.id: i.name for i in inspectors})
    rep.proposal = propose(schools, inspectors)
    if rep.proposal is None:
        rep.no_proposal_reason = f"督学人数不足：至少需要{need_total}名，现有{total}名"
    return rep


def county_report(county) -> tuple[Report, dict]:
    """The rules checked for one county from the database: schools and their student counts (one
    grouped query), the county's active inspectors and the current 责任区."""
    from django.db.models import Count

    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people.models import Student

    from .models import Inspector, InspectorAssignment

    units = list(
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=county.path)
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    counts = dict(
        Student.objects.filter(school__kind=OrgKind.SCHOOL, school__path__startswith=county.path)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    schools = [SchoolFact(pk, name, counts.get(pk, 0), path) for pk, name, path in units]
    inspectors = list(Inspector.objects.filter(county=county, active=True))
    facts = [InspectorFact(i.pk, i.name, i.full_time) for i in inspectors]
    current: dict[int, list[int]] = {i.pk: [] for i in inspectors}
    for inspector_id, school_id in InspectorAssignment.objects.filter(school__path__startswith=county.path).values_list(
        "inspector_id", "school_id"
    ):
        current.setdefault(inspector_id, []).append(school_id)
    report = check(schools, facts, current)
    return report, {
        "schools": {s.id: s for s in schools},
        "inspectors": {i.pk: i for i in inspectors},
        "current": current,
    }
