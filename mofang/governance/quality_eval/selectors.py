"""Read-side of 综合素质评价: a class list's counts, and 运动技能 / 艺术特长 达标率 of a unit and its
parts for a school year (through the scope layer; the same definition as facts.py)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from mofang.platform.orgs.models import OrgKind, OrgUnit

from .models import PASSED, Kind, Record, Status
from .roles import FIGURES, VIEW


def class_counts(user, klass_ids: list[int], year: int, term: int) -> dict[int, dict]:
    rows = (
        Record.objects.visible_to(user, VIEW)
        .filter(klass_id__in=klass_ids, school_year=year, term=term)
        .values("klass_id")
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            passed=Count("pk", filter=Q(status__in=PASSED)),
        )
        .order_by()
    )
    return {r["klass_id"]: r for r in rows}


def rate(n: int, d: int) -> Decimal | None:
    if not d:
        return None
    return (Decimal(100) * n / d).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figure:
    evaluated: int = 0
    sports: int = 0
    art: int = 0

    @property
    def sports_rate(self) -> Decimal | None:
        return rate(self.sports, self.evaluated)

    @property
    def art_rate(self) -> Decimal | None:
        return rate(self.art, self.evaluated)


def parts_of(org: OrgUnit) -> list[OrgUnit]:
    if org.kind in (OrgKind.SCHOOL, OrgKind.GRADE, OrgKind.CLASS):
        return []
    return list(
        OrgUnit.objects.filter(
            path__startswith=org.path, depth=org.depth + 1, kind__in=(OrgKind.CITY, OrgKind.COUNTY, OrgKind.SCHOOL)
        ).order_by("path")
    )


def figures(user, org: OrgUnit, year: int) -> tuple[Figure, list[tuple[OrgUnit, Figure]]]:
    """Per school: students evaluated (a record of the year, not revoked) and 达标 in each kind."""
    base = (
        Record.objects.visible_to(user, FIGURES)
        .filter(school_year=year, school__path__startswith=org.path)
        .exclude(status=Status.REVOKED)
    )
    evaluated = dict(base.values_list("school__path").annotate(n=Count("student_id", distinct=True)).order_by())
    sports = dict(
        base.filter(kind=Kind.SPORTS_SKILL, status__in=PASSED)
        .values_list("school__path")
        .annotate(n=Count("student_id", distinct=True))
        .order_by()
    )
    art = dict(
        base.filter(kind=Kind.ART_SKILL, status__in=PASSED)
        .values_list("school__path")
        .annotate(n=Count("student_id", distinct=True))
        .order_by()
    )
    parts = parts_of(org)
    total, by_part = Figure(), {p.pk: Figure() for p in parts}
    for path, n in evaluated.items():
        figs = [total] + [by_part[p.pk] for p in parts if path.startswith(p.path)]
        for f in figs:
            f.evaluated += n
            f.sports += sports.get(path, 0)
            f.art += art.get(path, 0)
    return total, [(p, by_part[p.pk]) for p in parts]
