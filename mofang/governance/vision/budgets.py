"""Query budgets of 视力健康's pages (see mofang/platform/budgets.py)."""

import datetime as dt
from decimal import Decimal

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import add, make_student, make_user

from .models import Screening, round_of

COVERS = ("vision:classes", "vision:class_entry", "vision:screening", "vision:rates", "vision:my")


def _screen(child, klass, day, acuity="4.8"):
    year, term = round_of(day)
    s = Screening(
        student=child,
        school=child.school,
        klass=klass,
        grade=child.grade,
        school_year=year,
        term=term,
        screened_on=day,
        right_acuity=Decimal(acuity),
        left_acuity=Decimal("5.0"),
        right_sphere=Decimal("-1.25"),
    )
    s.classify()
    s.save()
    return s


def scene(tree, n: int) -> Scene:
    """At tree.school n classes with a screened pupil each (the parent's n children), n more
    pupils in tree.klass, and one pupil screened n times (n school years)."""
    parent = make_user("budget_vision_parent", "parent", tree.school)
    guardian = Guardian(name="预算视力家长", user=parent)
    guardian.set_phone("13900005100")
    guardian.save()
    grade = add(tree.school, "预算视力年级", OrgKind.GRADE)
    day = dt.date(2026, 10, 15)
    for i in range(n):
        klass = add(grade, f"预算视力{i}班", OrgKind.CLASS)
        child = make_student(tree.school, f"预算视力学生{i}", klass=klass)
        _screen(child, klass, day)
        Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
        _screen(make_student(tree.school, f"预算本班学生{i}", klass=tree.klass), tree.klass, day)
    veteran = make_student(tree.school, "预算多次筛查学生", klass=tree.klass)
    last = [_screen(veteran, tree.klass, dt.date(2026 - i, 10, 1), "4.9") for i in range(n)][-1]
    return Scene(
        user=make_user("budget_vision_principal", "principal", tree.school),
        urls={
            "vision:class_entry": f"/vision/classes/{tree.klass.pk}/",
            "vision:screening": f"/vision/screenings/{last.pk}/",
            "vision:rates": f"/vision/rates/?org={tree.school.pk}",
        },
        users={"vision:my": parent},
    )
