"""近视率 (myopia rate) of a unit and its parts for a school year, against last year's and the
target (last year's rate − 1.0 point). Counts come from the screenings the user may see (the
scope layer); a child counts once a school year, by the latest screening of the year."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import grades
from mofang.platform.privacy import threshold

from .models import Screening, Status
from .roles import FIGURES

TARGET_DROP = Decimal("1.0")  # points a year (综合防控儿童青少年近视实施方案)


def rate(myopic: int, screened: int) -> Decimal | None:
    if not screened:
        return None
    return (Decimal(100) * myopic / screened).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figure:
    screened: int = 0
    myopic: int = 0
    last_screened: int = 0
    last_myopic: int = 0

    @property
    def small(self) -> bool:
        """Fewer than the privacy threshold screened this year: no rate shown (a class of 3)."""
        return 0 < self.screened < threshold()

    @property
    def rate(self) -> Decimal | None:
        return None if self.small else rate(self.myopic, self.screened)

    @property
    def last_rate(self) -> Decimal | None:
        return None if 0 < self.last_screened < threshold() else rate(self.last_myopic, self.last_screened)

    @property
    def change(self) -> Decimal | None:
        return None if self.rate is None or self.last_rate is None else self.rate - self.last_rate

    @property
    def target(self) -> Decimal | None:
        return None if self.last_rate is None else max(self.last_rate - TARGET_DROP, Decimal(0))

    @property
    def met(self) -> bool | None:
        return None if self.rate is None or self.target is None else self.rate <= self.target


def counts(user, year: int, perm: str = FIGURES) -> list[dict]:
    """Per (school, class, grade, school year): screened and myopic, for `year` and the year before."""
    return list(
        Screening.objects.visible_to(user, perm)
        .filter(school_year__in=(year, year - 1))
        .latest_per_student()
        .values("school_id", "school__path", "klass_id", "grade", "school_year")
        .annotate(n=Count("pk"), m=Count("pk", filter=Q(status=Status.MYOPIA)))
        .order_by()
    )


def _add(fig: Figure, row: dict, year: int) -> None:
    if row["school_year"] == year:
        fig.screened += row["n"]
        fig.myopic += row["m"]
    else:
        fig.last_screened += row["n"]
        fig.last_myopic += row["m"]


def parts_of(org: OrgUnit) -> list[OrgUnit]:
    """The units a page of `org` lists: a region's child regions or schools, a school's classes."""
    if org.kind == OrgKind.SCHOOL or org.kind == OrgKind.GRADE:
        return list(OrgUnit.objects.filter(path__startswith=org.path, kind=OrgKind.CLASS).order_by("path"))
    if org.kind == OrgKind.CLASS:
        return []
    return list(
        OrgUnit.objects.filter(
            path__startswith=org.path, depth=org.depth + 1, kind__in=(OrgKind.CITY, OrgKind.COUNTY, OrgKind.SCHOOL)
        ).order_by("path")
    )


def figures(user, org: OrgUnit, year: int) -> tuple[Figure, list[tuple[OrgUnit, Figure]], list[tuple[str, Figure]]]:
    """(the unit's own figure, its parts' figures, its figures by grade)."""
    rows = counts(user, year)
    parts = parts_of(org)
    total, by_part = Figure(), {p.pk: Figure() for p in parts}
    by_grade: dict[int | None, Figure] = {}
    by_class = {p.pk for p in parts if p.kind == OrgKind.CLASS}
    for row in rows:
        inside = row["school__path"].startswith(org.path) if org.kind != OrgKind.CLASS else row["klass_id"] == org.pk
        if not inside:
            continue
        if org.kind == OrgKind.GRADE and row["klass_id"] not in by_class:
            continue
        _add(total, row, year)
        grade = row["grade"]
        _add(by_grade.setdefault(grade, Figure()), row, year)
        if by_class:
            if row["klass_id"] in by_part:
                _add(by_part[row["klass_id"]], row, year)
        else:
            for p in parts:
                if row["school__path"].startswith(p.path):
                    _add(by_part[p.pk], row, year)
                    break
    school_type = org.school_type if org.kind == OrgKind.SCHOOL else ""
    grade_rows = [
        (grades.grade_name(school_type, g) if g is not None else "未知年级", f)
        for g, f in sorted(by_grade.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    return total, [(p, by_part[p.pk]) for p in parts], grade_rows
