"""体质健康 read side: a child's report (items, BMI, total, band, advice, the 毕业 total) and the
合格率/优良率 counts by class, school, region, grade and sex — all through the scope layer.

Rates are counted once per school × grade × sex (and per class) in the database and summed up the
org tree in Python: a region's rate is its summed numerators over summed denominators, never an
average of percentages. A result without a total (an item 缺测) is in no denominator.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from mofang.platform.accounts.scope import has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import grades
from mofang.platform.people.models import SchoolYear, Student
from mofang.platform.privacy import suppress_row

from .models import GOOD_MARK, PASS_MARK, FitnessResult
from .scoring import ITEMS, band_of, fmt_value, graduation_total, practice_advice, score

VIEW = "fitness.view"
CHILD = "fitness.view_child"  # a parent's, "@own"
RATES = "fitness.view_rates"
SEXES = {"M": "男", "F": "女"}


# --- a child's report --------------------------------------------------------------------------


@dataclass
class ReportItem:
    label: str
    value: str
    score: int | None
    weight: Decimal | None
    bonus: int = 0


@dataclass
class Report:
    result: FitnessResult
    items: list[ReportItem]
    advice: list[str]
    missing: list[str]
    graduation: Decimal | None = None
    graduation_band: str = ""
    years: list = field(default_factory=list)  # (school year name, total, band) of the child's other years


def _shown(code: str, value) -> str:
    if value is None:
        return "未测"
    item = ITEMS[code]
    shown = fmt_value(code, value)
    return shown if shown.endswith('"') else f"{shown}{item.unit}"


def report_of(result: FitnessResult, history: list[FitnessResult] | None = None) -> Report:
    """The report of one result; `history`: the same child's results of other years (for 毕业)."""
    values = result.values
    engine = score(result.grade, result.sex, values)
    items = []
    bmi = engine.items.get("bmi")
    if bmi is not None:
        items.append(
            ReportItem("体重指数", f"{result.bmi}（{result.bmi_class}）", int(bmi.score), bmi.weight, int(bmi.bonus))
        )
    for code, item in engine.items.items():
        if code == "bmi":
            continue
        items.append(ReportItem(ITEMS[code].label, _shown(code, item.value), int(item.score), item.weight, item.bonus))
    missing = [ITEMS[c].label for c in engine.missing if c in ITEMS]
    report = Report(result, items, practice_advice(engine), missing)
    history = sorted(history or [], key=lambda r: r.school_year.start_year)
    report.years = [(str(r.school_year), r.total, r.band) for r in history if r.pk != result.pk]
    school_type = result.school.school_type
    if grades.has_grades(school_type) and result.grade == grades.last_grade(school_type) and result.total is not None:
        first = grades.first_grade(school_type)
        others = [
            r.total for r in history if r.pk != result.pk and r.total is not None and first <= r.grade < result.grade
        ]
        report.graduation = graduation_total(result.total, others)
        report.graduation_band = band_of(report.graduation)
    return report


def visible_students(user):
    """The children whose reports the user may read: the school's (fitness.view) or their own (a parent)."""
    return Student.objects.filter(
        Q(pk__in=Student.objects.visible_to(user, VIEW).values("pk"))
        | Q(pk__in=Student.objects.visible_to(user, CHILD).values("pk"))
    )


def visible_results(user):
    return FitnessResult.objects.filter(
        Q(pk__in=FitnessResult.objects.visible_to(user, VIEW).values("pk"))
        | Q(pk__in=FitnessResult.objects.visible_to(user, CHILD).values("pk"))
    )


def results_of(student, user) -> list[FitnessResult]:
    """The child's results the user may see, newest year first."""
    return list(
        visible_results(user)
        .filter(student=student)
        .select_related("school_year", "school", "klass")
        .order_by("-school_year__start_year")
    )


# --- rates -----------------------------------------------------------------------------------


@dataclass
class Counts:
    tested: int = 0  # results with a total
    passed: int = 0  # total ≥ 60
    good: int = 0  # total ≥ 80

    def add(self, n, p, g) -> None:
        self.tested += n
        self.passed += p
        self.good += g

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def pass_rate(self) -> Decimal | None:
        return self._rate(self.passed, self.tested)

    @property
    def good_rate(self) -> Decimal | None:
        return self._rate(self.good, self.tested)

    def shown(self, suppress: bool) -> "Shown":
        """The figures as a page may show them. With `suppress` (a reader who may not see the
        children's results), the split of the tested children into 不及格 / 及格 / 优良 goes through
        the platform's small-count rule: the number tested is treated as known (it is the roll's),
        so a 合格 count or rate that would give away fewer than 5 不及格 children is hidden, and so
        is anything from which it could be worked out."""
        if not self.tested:
            return Shown(False, "", "", "", "")
        exact = Shown(True, str(self.passed), f"{self.pass_rate}%", str(self.good), f"{self.good_rate}%")
        if not suppress:
            return exact
        row = suppress_row([self.tested - self.passed, self.passed - self.good, self.good])
        failed, _middle, good = row.cells
        return Shown(
            True,
            str(failed) if failed.hidden else exact.passed,
            "*" if failed.hidden else exact.pass_rate,
            str(good) if good.hidden else exact.good,
            "*" if good.hidden else exact.good_rate,
            hidden=failed.hidden or good.hidden,
        )


@dataclass(frozen=True)
class Shown:
    tested: bool
    passed: str
    pass_rate: str
    good: str
    good_rate: str
    hidden: bool = False


_COUNTS = {
    "n": Count("pk", filter=Q(total__isnull=False)),
    "p": Count("pk", filter=Q(total__gte=PASS_MARK)),
    "g": Count("pk", filter=Q(total__gte=GOOD_MARK)),
}


@dataclass
class Rates:
    year: SchoolYear
    total: Counts
    regions: list  # (OrgUnit, Counts, Shown) for the provinces, cities and counties in scope, tree order
    schools: list  # (OrgUnit, Counts, Shown)
    classes: list  # (OrgUnit, school name, Counts, Shown)
    by_grade_sex: list  # (grade name, sex name, Counts, Shown)
    suppressed: bool = False
    shown: "Shown | None" = None


def years_with_results() -> list[SchoolYear]:
    return list(SchoolYear.objects.order_by("-start_year"))


def rates(user, year: SchoolYear) -> Rates:
    """合格率 and 优良率 in the user's scope for one school year (three grouped queries)."""
    visible = FitnessResult.objects.visible_to(user, RATES).filter(school_year=year)
    cells = list(visible.values_list("school_id", "grade", "sex").annotate(**_COUNTS).order_by())
    by_class = list(visible.filter(klass__isnull=False).values_list("klass_id").annotate(**_COUNTS).order_by())
    total = Counts()
    per_school: dict[int, Counts] = {}
    per_grade: dict[tuple[int, str], Counts] = {}
    for school_id, grade, sex, n, p, g in cells:
        total.add(n, p, g)
        per_school.setdefault(school_id, Counts()).add(n, p, g)
        per_grade.setdefault((grade, sex), Counts()).add(n, p, g)
    units = OrgUnit.objects.visible_to(user, RATES)
    schools = list(units.filter(kind=OrgKind.SCHOOL).order_by("path").only("id", "name", "path", "school_type"))
    regions = list(
        units.filter(kind__in=[OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY])
        .order_by("path")
        .only("id", "name", "path", "kind")
    )
    step = OrgUnit.steplen
    at_region = {r.path: Counts() for r in regions}
    for s in schools:
        x = per_school.get(s.pk)
        if x is None:
            continue
        for end in range(step, len(s.path), step):
            c = at_region.get(s.path[:end])
            if c is not None:
                c.add(x.tested, x.passed, x.good)
    region_counts = [(r, at_region[r.path]) for r in regions]
    class_ids = [k for k, *_ in by_class]
    class_units = {u.pk: u for u in units.filter(pk__in=class_ids).only("id", "name", "path")}
    school_at = {s.path: s for s in schools}
    classes = []
    for klass_id, n, p, g in by_class:
        unit = class_units.get(klass_id)
        if unit is None:
            continue
        school = school_at.get(unit.path[: -2 * step])
        c = Counts()
        c.add(n, p, g)
        classes.append((unit, school.name if school else "", c))
    classes.sort(key=lambda row: row[0].path)
    by_grade_sex = [
        (grades.GRADE_NAMES.get(grade, str(grade)), SEXES.get(sex, sex), per_grade[(grade, sex)])
        for grade, sex in sorted(per_grade)
    ]
    # a reader without access to the children's results (the bureau) gets small counts suppressed
    suppress = not has_perm(user, VIEW)
    return Rates(
        year=year,
        total=total,
        regions=[(u, c, c.shown(suppress)) for u, c in region_counts],
        schools=[(s, c, c.shown(suppress)) for s, c in ((s, per_school.get(s.pk, Counts())) for s in schools)],
        classes=[(u, name, c, c.shown(suppress)) for u, name, c in classes],
        by_grade_sex=[(g, sx, c, c.shown(suppress)) for g, sx, c in by_grade_sex],
        suppressed=suppress,
        shown=total.shown(suppress),
    )
