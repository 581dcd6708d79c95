"""Query budgets of 体质健康's pages (see mofang/platform/budgets.py)."""

from decimal import Decimal

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.people.roll import current_school_year
from mofang.platform.testing import add, make_student, make_user

from .models import FitnessResult, result_key
from .services import check_cells, outcome

COVERS = ("fitness:my", "fitness:classes", "fitness:rates", "fitness:class")

GRADE1 = {"height_cm": "121", "weight_kg": "23", "vital_capacity": "1000", "run_50m": "11.5", "sit_and_reach": "8"}


def _result(child, year):
    values, _errors = check_cells(1, child.sex, GRADE1)
    fields = outcome(1, child.sex, values)
    fields.update(total=Decimal("72.0"), band="及格")
    FitnessResult.objects.create(
        student_year=result_key(child.pk, year.start_year),
        student=child,
        school_year=year,
        school=child.school,
        klass=child.klass,
        grade=1,
        sex=child.sex,
        **fields,
    )


def scene(tree, n: int) -> Scene:
    """n children with results in tree.klass (one parent's), n more classes of the school and n
    more schools of the county, each with a child and a result."""
    year = current_school_year()
    parent = make_user("budget_fit_parent", "parent", tree.school)
    guardian = Guardian(name="预算体测家长", user=parent)
    guardian.set_phone("13900006000")
    guardian.save()
    grade = add(tree.school, "二年级", OrgKind.GRADE)
    for i in range(n):
        child = make_student(tree.school, f"预算体测学生{i}", klass=tree.klass, grade=1)
        Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
        _result(child, year)
        klass = add(grade, f"预算体测班{i}", OrgKind.CLASS)
        _result(make_student(tree.school, f"预算体测班生{i}", klass=klass, grade=1), year)
        school = add(tree.county, f"预算体测学校{i}", OrgKind.SCHOOL, f"33082400{i:02d}", school_type="primary")
        _result(make_student(school, f"预算体测外校生{i}", grade=1), year)
    return Scene(
        user=make_user("budget_fitness", "county_admin", tree.county),
        urls={"fitness:class": f"/fitness/classes/{tree.klass.pk}/"},
        users={
            "fitness:my": parent,
            "fitness:classes": make_user("budget_fit_principal", "principal", tree.school),
            "fitness:class": make_user("budget_fit_academic", "academic", tree.school),
        },
    )
