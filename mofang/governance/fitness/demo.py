"""体质健康's demo story (registered with the core demo in AppConfig.ready()).

Every child of 常山县 (330822) in 一年级 to 高三 has this school year's test result, drawn so
that the county reads about 96% 合格 and 52% 优良 (the seed's 96.42% / 52.67% are the targets
the cockpit compares against). Children in the last grade of their school (六年级, 九年级, 高三)
have their earlier years too, so their report shows the 毕业 total. parent_cs1's child is
among them: the parent's phone shows a report.

Raw values are not invented per item table: each child gets a target score, and for every item
the demo picks a raw value the engine itself scores at about that target (a table of candidate
values scored once per grade, sex and item). So the demo stays right whatever the engine's
tables say.
"""

from decimal import Decimal

from django.utils import timezone

from mofang.platform.orgs.models import OrgKind
from mofang.platform.people import grades
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.people.roll import current_school_year, ensure_school_year

from .models import FitnessResult, result_key
from .scoring import InvalidValue, check_value, items_for, score
from .services import outcome, scorable

COUNTY_CODE = "330822"


def _steps(lo, hi, step):
    out, v = [], Decimal(str(lo))
    while v <= Decimal(str(hi)):
        out.append(v)
        v += Decimal(str(step))
    return out


CANDIDATES = {
    "vital_capacity": _steps(500, 6000, 20),
    "run_50m": _steps("6.0", "15.0", "0.1"),
    "sit_and_reach": _steps("-10", "30", "0.2"),
    "rope_skipping_1min": _steps(20, 220, 1),
    "situps_1min": _steps(5, 65, 1),
    "pullups": _steps(0, 25, 1),
    "standing_long_jump": _steps(100, 290, 1),
    "run_50x8": _steps(80, 170, 1),
    "run_1000m": _steps(180, 420, 1),
    "run_800m": _steps(170, 400, 1),
}


class ValueTable:
    """(grade, sex, item) → {score: [raw values scoring exactly that, without bonus]}."""

    def __init__(self):
        self._tables: dict = {}

    def values(self, grade: int, sex: str, item: str) -> dict[int, list]:
        key = (grade, sex, item)
        if key not in self._tables:
            table: dict[int, list] = {}
            for v in CANDIDATES[item]:
                try:
                    check_value(item, v, grade, sex)
                except InvalidValue:
                    continue
                got = score(grade, sex, {item: v}).items.get(item)
                if got is None or got.bonus:
                    continue
                table.setdefault(int(got.score), []).append(v)
            self._tables[key] = table
        return self._tables[key]

    def pick(self, rng, grade, sex, item, target: float):
        table = self.values(grade, sex, item)
        if not table:
            return None
        best = min(table, key=lambda s: (abs(s - target), -s))
        return rng.choice(table[best])


def _height(rng, grade: int, sex: str) -> Decimal:
    base = 116 + 6.2 * (grade - 1) if grade <= 9 else 165 + (grade - 10)
    if sex == "F" and grade >= 7:
        base -= 8
    return Decimal(str(round(rng.gauss(base, 5), 1)))


def _bmi(rng, grade: int) -> float:
    r = rng.random()
    normal = 15.5 + 0.45 * grade
    if r < 0.78:
        return rng.uniform(normal - 1.2, normal + 1.8)
    if r < 0.86:
        return normal - rng.uniform(2.5, 3.5)  # 低体重
    if r < 0.95:
        return normal + rng.uniform(3.2, 4.2)  # 超重
    return normal + rng.uniform(6, 8)  # 肥胖


def values_for(rng, table: ValueTable, grade: int, sex: str, target: float) -> dict:
    h = _height(rng, grade, sex)
    w = Decimal(str(round(_bmi(rng, grade) * float(h / 100) ** 2, 1)))
    values = {"height_cm": h, "weight_kg": w}
    for item in items_for(grade, sex):
        if item in values:
            continue
        v = table.pick(rng, grade, sex, item, min(100.0, target + rng.gauss(0, 7)))
        if v is not None:
            values[item] = v
    return values


def _target(rng) -> float:
    # calibrated against the engine: about 96% 合格 and 52% 优良 (the seed's 96.42% / 52.67%)
    return rng.gauss(77.5, 14)


def _row(student, year, grade, klass_id, values, stamp) -> FitnessResult:
    fields = outcome(grade, student.sex, values)
    return FitnessResult(
        student_year=result_key(student.pk, year.start_year),
        student_id=student.pk,
        school_year=year,
        school_id=student.school_id,
        klass_id=klass_id,
        grade=grade,
        sex=student.sex,
        updated_at=stamp,
        **fields,
    )


def _earlier(cache: dict, year, back: int):
    if back not in cache:
        cache[back] = ensure_school_year(year.start_year - back)
    return cache[back]


def build(ctx) -> None:
    county = next(
        (s.ancestor_of_kind(OrgKind.COUNTY) for s in ctx.schools if s.code and s.code.startswith(COUNTY_CODE)), None
    )
    if county is None:
        ctx.log("体质健康：未找到常山县，跳过")
        return
    year = current_school_year()
    if FitnessResult.objects.filter(school_year=year, school__path__startswith=county.path).exists():
        return
    rng = ctx.rng
    table = ValueTable()
    stamp = timezone.now()
    types = {s.pk: s.school_type for s in ctx.schools if s.path.startswith(county.path)}
    earlier: dict = {}
    rows: list[FitnessResult] = []
    count = history = 0
    students = (
        Student.objects.filter(school__path__startswith=county.path, status=RollStatus.ENROLLED)
        .order_by("pk")
        .only("pk", "sex", "grade", "school_id", "klass_id")
    )
    for s in students.iterator(chunk_size=2000):
        if s.grade is None or not scorable(s.grade):
            continue
        ability = _target(rng)
        rows.append(_row(s, year, s.grade, s.klass_id, values_for(rng, table, s.grade, s.sex, ability), stamp))
        count += 1
        school_type = types.get(s.school_id, "")
        if grades.has_grades(school_type) and s.grade == grades.last_grade(school_type):
            for back in range(1, s.grade - grades.first_grade(school_type) + 1):
                g = s.grade - back
                if not scorable(g):
                    break
                past = ability + rng.gauss(-1.5 * back, 4)
                rows.append(
                    _row(s, _earlier(earlier, year, back), g, None, values_for(rng, table, g, s.sex, past), stamp)
                )
                history += 1
        if len(rows) >= 2000:
            FitnessResult.objects.bulk_create(rows)
            rows = []
    if rows:
        FitnessResult.objects.bulk_create(rows)
    ctx.log(f"体质健康：常山县{count}名学生本学年测试成绩，毕业年级另有历年成绩{history}条")
