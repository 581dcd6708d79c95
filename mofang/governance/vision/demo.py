"""视力健康's demo story (registered with the core demo in AppConfig.ready()).

Every pupil on the roll of the story county 常山县 (330822) was screened in October of last school
year and of this one (first-graders only this year: last year they were in kindergarten). The
myopia rate rises by grade (小学 about 35%, 初中 about 70%, 高中 about 80%; about 50% overall),
and last year's was about one point higher, so the county's page shows the target (last year −
1.0) and whether it was met (by grade last year reads higher still: see _bump). A child myopic
last year stays so where the grade's share allows. parent_cs1's child (一年级1班)
was newly screened as myopic this autumn, and the letters of the story class's newly myopic
children were sent (inbox + SMS) — a few, not the county's thousands.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import grades
from mofang.platform.people.models import RollStatus, Student

from . import engine, selectors, services
from .models import Screening, round_of

STORY_COUNTY = "330822"
# chance a pupil of the grade is screening-myopic this year (national scale of grades)
THIS_YEAR = {
    1: 0.15,
    2: 0.22,
    3: 0.30,
    4: 0.38,
    5: 0.45,
    6: 0.52,
    7: 0.64,
    8: 0.70,
    9: 0.75,
    10: 0.78,
    11: 0.80,
    12: 0.83,
}
LAST_YEAR_HIGHER = 0.011  # the county's rate last year, about a point higher than this year's


def _bump(pupils, last_year: set) -> float:
    """What to add to last year's rate of every grade so that the county's rate last year comes
    out about a point above this year's. Last year's figure can only be made from this year's
    pupils (last year's top grade has left), one grade lower each: without the bump last year's
    rate would be lower than this year's for want of its oldest grade."""
    now = sum(THIS_YEAR[st.grade] for st in pupils) / max(len(pupils), 1)
    before = [THIS_YEAR[st.grade - 1] for st in pupils if st.pk in last_year]
    return max(now + LAST_YEAR_HIGHER - sum(before) / max(len(before), 1), 0.0)


def _day(start_year: int) -> dt.date:
    return min(dt.date(start_year, 10, 15), timezone.localdate() - dt.timedelta(days=1))


def _q(x: float, step: str) -> Decimal:
    s = Decimal(step)
    return (Decimal(str(x)) / s).quantize(Decimal(1)) * s


def _eyes(rng, myopic: bool, grade: int, orthok: bool):
    """Acuity and refraction of both eyes consistent with the wanted result."""
    out: dict[str, object] = {}
    for side in ("right", "left"):
        if myopic:
            se = -(0.75 + rng.random() * (1.5 + 0.45 * max(grade - 1, 0)))
            cyl = rng.choice((0, 0, -0.25, -0.5, -0.75))
            sph = _q(se - cyl / 2, "0.25")
            acuity = max(Decimal("4.0"), min(Decimal("4.9"), _q(4.95 + se * 0.22, "0.1")))
            if orthok:
                acuity = rng.choice((Decimal("4.9"), Decimal("5.0")))
        else:
            sph = _q(rng.choice((0.75, 0.5, 0.25, 0, -0.25)), "0.25")
            cyl = rng.choice((0, 0, 0, -0.25, -0.5))
            acuity = Decimal(rng.choice(("5.0", "5.0", "5.1", "5.1", "5.2")))
            if rng.random() < 0.05:  # hyperopia, astigmatism: 视力不良 without myopia
                acuity, sph = Decimal("4.8"), Decimal("1.50")
        out[f"{side}_acuity"] = acuity
        out[f"{side}_sphere"] = sph
        out[f"{side}_cylinder"] = Decimal(str(cyl)) if cyl else Decimal("0")
        out[f"{side}_axis"] = rng.randrange(0, 181) if cyl else None
    return out


def _screening(rng, student, start_year: int, grade: int, myopic: bool, klass_id=None) -> Screening:
    orthok = myopic and rng.random() < 0.05
    glasses = "orthok" if orthok else ("frame" if myopic and rng.random() < 0.6 else "none")
    day = _day(start_year)
    year, term = round_of(day)
    s = Screening(
        student=student,
        school_id=student.school_id,
        klass_id=klass_id,
        grade=grade,
        school_year=year,
        term=term,
        screened_on=day,
        glasses=glasses,
        **_eyes(rng, myopic, grade, orthok),
    )
    s.classify()
    return s


def _last_class(st, classes: dict) -> int | None:
    """Last year's class of a pupil: the class of the grade below with the same number
    (二年级2班 → 一年级2班), the node the school's figures of last year were kept under."""
    if st.klass is None:
        return None
    this_name = grades.grade_name(st.school.school_type, st.grade)
    if not st.klass.name.startswith(this_name):
        return None
    name = grades.grade_name(st.school.school_type, st.grade - 1) + st.klass.name.removeprefix(this_name)
    return classes.get((st.school.path, name))


def _targets(county, rows: list, this: int) -> None:
    """This year's targets of 近视率 for 常山县 and the regions above it: last year's rate − 1.0
    (the demo's screenings are all in 常山县, so each region's last-year rate is the county's)."""
    from mofang.platform.indicators.models import Indicator, Target

    indicator = Indicator.objects.filter(code="vision_myopia_rate").first()
    last = [r for r in rows if r.school_year == this - 1]
    if indicator is None or not last:
        return
    rate = selectors.rate(sum(1 for r in last if r.status == engine.MYOPIA), len(last))
    if rate is None:
        return
    target = max(rate - selectors.TARGET_DROP, Decimal(0))
    year = _day(this).year  # the calendar year of this autumn's screening: the cockpit's period
    for org in [*OrgUnit.objects.get_ancestors(county), county]:
        Target.objects.update_or_create(indicator=indicator, org=org, year=year, defaults={"value": target})


def build(ctx) -> None:
    county = OrgUnit.objects.filter(code=STORY_COUNTY, kind=OrgKind.COUNTY).first()
    if county is None or Screening.objects.filter(school__path__startswith=county.path).exists():
        return
    rng = ctx.rng
    this = round_of(timezone.localdate())[0]
    pupils = list(
        Student.objects.filter(
            school__path__startswith=county.path, status=RollStatus.ENROLLED, grade__gte=1, grade__lte=12
        )
        .select_related("school", "klass")
        .order_by("pk")
    )
    parent = ctx.users.get("parent_cs1")
    story_children = (
        set(Student.objects.filter(guardianships__guardian__user=parent).values_list("pk", flat=True))
        if parent is not None
        else set()
    )
    # half the new 初一/高一 came from schools outside the county: no screening last year here
    last_year = {st.pk for st in pupils if (st.grade or 0) > 1 and not (st.grade in (7, 10) and rng.random() < 0.5)}
    bump = _bump(pupils, last_year)
    classes = {
        (c.path[: c.steplen * 4], c.name): c.pk
        for c in OrgUnit.objects.filter(path__startswith=county.path, kind=OrgKind.CLASS)
    }
    # exact shares per grade (not a coin per child), so that the small demo shows the story too
    by_grade: dict[int, list] = {}
    for st in pupils:
        by_grade.setdefault(st.grade or 0, []).append(st)
    rows = []
    for grade, group in sorted(by_grade.items()):
        rng.shuffle(group)
        before = [st for st in group if st.pk in last_year]
        n_was = round(min(THIS_YEAR[grade - 1] + bump, 0.95) * len(before)) if grade > 1 else 0
        was = {st.pk for st in before[:n_was]}
        for st in before:
            rows.append(_screening(rng, st, this - 1, grade - 1, st.pk in was, _last_class(st, classes)))
        # this year: last year's myopic children first (myopia does not go away), then others
        ranked = sorted(group, key=lambda st: (st.pk not in story_children, st.pk not in was))
        now = {st.pk for st in ranked[: round(THIS_YEAR[grade] * len(group))]}
        for st in group:
            rows.append(_screening(rng, st, this, grade, st.pk in now or st.pk in story_children, st.klass_id))
    Screening.objects.bulk_create(rows, batch_size=2000)
    # the letters of the story class (parent_cs1's child among them): a few, through the service
    klass_ids = set(Student.objects.filter(pk__in=story_children).values_list("klass_id", flat=True))
    mine = list(Screening.objects.filter(school_year=this, klass_id__in=klass_ids).select_related("student", "school"))
    sent = services.send_letters(mine)
    _targets(county, rows, this)
    myopic_now = sum(1 for r in rows if r.school_year == this and r.status == engine.MYOPIA)
    screened_now = sum(1 for r in rows if r.school_year == this)
    ctx.log(f"视力健康：常山县筛查{len(rows)}人次，本学年近视{myopic_now}/{screened_now}人，告家长书{sent}封")
