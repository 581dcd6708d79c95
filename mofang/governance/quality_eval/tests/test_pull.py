"""体质健康 results and 课后服务 participation flow in as records of the term, once each (the pull
runs again without doubling anything), updated while the term is open, untouched once on 公示."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mofang.governance.fitness.models import FitnessResult, result_key
from mofang.governance.quality_eval import services
from mofang.governance.quality_eval.models import Dimension, Kind, Record, Source, Status
from mofang.platform.people.models import SchoolYear
from mofang.platform.testing import make_staff
from mofang.resources.afterschool.models import Attendance, Course, Selection, SelectionStatus, Session, Term

pytestmark = pytest.mark.django_db


def _fitness(child, year, total="82.5", band="良好"):
    return FitnessResult.objects.create(
        student_year=result_key(child.pk, year.start_year),
        student=child,
        school_year=year,
        school=child.school,
        klass=child.klass,
        grade=1,
        sex=child.sex,
        total=Decimal(total),
        band=band,
    )


def _course(school, name, kids, present_times):
    now = timezone.now()
    term = Term.objects.create(
        school=school,
        name=f"2026年秋季课后服务（{name}）",
        starts_on=dt.date(2026, 9, 14),
        ends_on=dt.date(2027, 1, 15),
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
    )
    course = Course.objects.create(
        term=term,
        school=school,
        name=name,
        weekday=1,
        period_from=1,
        period_to=1,
        place="操场",
        capacity=30,
        teacher=make_staff(school, f"{name}老师"),
    )
    sessions = [Session.objects.create(course=course, date=dt.date(2026, 9, 14 + 7 * i)) for i in range(3)]
    for kid in kids:
        Selection.objects.create(term=term, course=course, student=kid, status=SelectionStatus.CONFIRMED)
        for i, s in enumerate(sessions):
            Attendance.objects.create(session=s, student=kid, present=i < present_times)
    return course


def test_pull_is_idempotent_and_stops_at_publicity(cls):
    year, _ = SchoolYear.objects.get_or_create(
        start_year=2026, defaults={"starts_on": dt.date(2026, 9, 1), "ends_on": dt.date(2027, 8, 31)}
    )
    a, b = cls.kids[0], cls.kids[1]
    result = _fitness(a, year)
    _fitness(b, year, total="55.0", band="不及格")
    _course(cls.tree.school, "篮球社团", [a], 2)
    _course(cls.tree.school, "剪纸", [b], 3)
    _course(cls.tree.other_school, "合唱", [], 0)  # another school's course: not pulled

    got = services.pull_term(cls.tree.school, 2026, 1, acting_user=cls.academic)
    assert got == {"created": 4, "updated": 0, "locked": 0}
    fit = Record.objects.get(source_key=f"fitness:{result.pk}")
    assert (fit.dimension, fit.kind, fit.source, fit.status) == (
        Dimension.PHYSICAL,
        Kind.FITNESS,
        Source.FITNESS,
        Status.APPROVED,
    )
    assert fit.title == "体质健康测试82.5分（良好）"
    after = {r.student_id: r for r in Record.objects.filter(source=Source.AFTERSCHOOL)}
    assert after[a.pk].dimension == Dimension.PHYSICAL and "到课2次" in after[a.pk].description
    assert after[b.pk].dimension == Dimension.AESTHETIC and "到课3次" in after[b.pk].description

    # again: nothing new; a changed result updates its record
    assert services.pull_term(cls.tree.school, 2026, 1)["created"] == 0
    assert Record.objects.count() == 4
    FitnessResult.objects.filter(pk=result.pk).update(total=Decimal("90.0"), band="优秀")
    assert services.pull_term(cls.tree.school, 2026, 1) == {"created": 0, "updated": 1, "locked": 0}
    assert Record.objects.get(source_key=f"fitness:{result.pk}").title == "体质健康测试90.0分（优秀）"
    # the second term gets no fitness result (the test is run in the autumn)
    assert services.pull_term(cls.tree.school, 2026, 2)["created"] == 0

    # once the class's term is on 公示, the pull changes nothing there
    p = services.start_publicity(cls.klass, acting_user=cls.head, today=dt.date(2026, 11, 2))
    FitnessResult.objects.filter(pk=result.pk).update(total=Decimal("60.0"), band="及格")
    assert services.pull_term(cls.tree.school, 2026, 1)["updated"] == 0
    assert "90.0分" in Record.objects.get(source_key=f"fitness:{result.pk}").title
    assert p.records().count() == 4


def test_automatic_records_are_not_edited_by_hand(cls):
    year, _ = SchoolYear.objects.get_or_create(
        start_year=2026, defaults={"starts_on": dt.date(2026, 9, 1), "ends_on": dt.date(2027, 8, 31)}
    )
    _fitness(cls.kids[0], year)
    services.pull_term(cls.tree.school, 2026, 1)
    rec = Record.objects.get()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="自动生成"):
        services.update_record(
            rec,
            dimension=Dimension.PHYSICAL,
            kind=Kind.GENERAL,
            title="改",
            occurred_on="2026-10-01",
            acting_user=cls.head,
            today=dt.date(2026, 10, 12),
        )


@pytest.mark.parametrize(
    "name,dimension",
    [("篮球社团", "physical"), ("少儿书法", "aesthetic"), ("机器人编程", "intellect"), ("鲁班学艺", "labour")],
)
def test_course_dimension(name, dimension):
    assert services.course_dimension(name) == dimension
