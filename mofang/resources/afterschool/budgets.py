"""Query budgets of 课后服务's pages (see mofang/platform/budgets.py)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import add, make_staff, make_student, make_user

from .models import Course, Rating, Selection, SelectionStatus, SurveyResponse, Term

COVERS = (
    "afterschool:terms",
    "afterschool:children",
    "afterschool:roll_today",
    "afterschool:indicators",
    "afterschool:term",
)


def _term(school, name):
    now, today = timezone.now(), timezone.localdate()
    return Term.objects.create(
        school=school,
        name=name,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
    )


def _course(term, name, teacher):
    return Course.objects.create(
        term=term,
        school=term.school,
        name=name,
        weekday=timezone.localdate().isoweekday(),
        period_from=1,
        period_to=2,
        place="操场",
        capacity=10,
        taken=1,
        teacher=teacher,
    )


def _pupil(term, course, name, guardian=None):
    child = make_student(term.school, name)
    Selection.objects.create(term=term, course=course, student=child, status=SelectionStatus.CONFIRMED)
    SurveyResponse.objects.create(term=term, student=child, rating=Rating.VERY)
    if guardian is not None:
        Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
    return child


def scene(tree, n: int) -> Scene:
    """At tree.school a term with n courses meeting today (each with a teacher and a pupil whose
    parent is one user); n more schools of the county, each with a term, a course and a pupil."""
    parent = make_user("budget_as_parent", "parent", tree.school)
    guardian = Guardian(name="预算家长", user=parent)
    guardian.set_phone("13900005000")
    guardian.save()
    term = _term(tree.school, "预算学期")
    for i in range(n):
        course = _course(term, f"预算课程{i}", make_staff(tree.school, f"预算教师{i}"))
        _pupil(term, course, f"预算学生{i}", guardian)
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082300{i:02d}", school_type="primary")
        other = _term(school, f"预算外校学期{i}")
        _pupil(other, _course(other, f"预算外校课程{i}", make_staff(school, f"预算外校教师{i}")), f"预算外校学生{i}")
    return Scene(
        user=make_user("budget_afterschool", "county_admin", tree.county),
        urls={"afterschool:term": f"/afterschool/terms/{term.pk}/"},
        users={
            "afterschool:children": parent,
            "afterschool:roll_today": make_user("budget_as_principal", "principal", tree.school),
        },
    )
