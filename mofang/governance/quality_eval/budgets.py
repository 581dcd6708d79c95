"""Query budgets of 综合素质评价's pages (see mofang/platform/budgets.py)."""

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import add, make_student, make_user

from .models import Dimension, Kind, Objection, Publicity, Record, Source, Status, term_of

COVERS = (
    "quality_eval:my",
    "quality_eval:classes",
    "quality_eval:klass",
    "quality_eval:publicity",
    "quality_eval:rates",
)


def _record(child, status=Status.SUBMITTED, kind=Kind.SPORTS_SKILL):
    year, term = term_of(timezone.localdate())
    return Record.objects.create(
        student=child,
        school=child.school,
        klass=child.klass,
        grade=child.grade,
        school_year=year,
        term=term,
        dimension=Dimension.PHYSICAL,
        kind=kind,
        title=f"{child.name}的记录",
        occurred_on=timezone.localdate(),
        source=Source.PARENT,
        status=status,
    )


def scene(tree, n: int) -> Scene:
    """n pupils with a record in tree.klass; a class on 公示 with n records and n objections (the
    parent's child among them); n classes (the parent's n children) and n schools with a record."""
    parent = make_user("budget_qe_parent", "parent", tree.school)
    guardian = Guardian(name="预算评价家长", user=parent)
    guardian.set_phone("13900005200")
    guardian.save()
    grade = add(tree.school, "预算评价年级", OrgKind.GRADE)
    showing = add(grade, "预算评价公示班", OrgKind.CLASS)
    year, term = term_of(timezone.localdate())
    today = timezone.localdate()
    p = Publicity.objects.create(
        school=tree.school, klass=showing, school_year=year, term=term, starts_on=today, ends_on=today
    )
    for i in range(n):
        _record(make_student(tree.school, f"预算本班学生{i}", klass=tree.klass))
        klass = add(grade, f"预算评价{i}班", OrgKind.CLASS)
        child = make_student(tree.school, f"预算评价学生{i}", klass=klass)
        _record(child)
        Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
        shown = _record(make_student(tree.school, f"预算公示学生{i}", klass=showing), Status.APPROVED)
        Objection.objects.create(publicity=p, record=shown, reason="不属实", raised_by=parent)
        school = add(tree.county, f"预算评价学校{i}", OrgKind.SCHOOL, school_type="primary")
        _record(make_student(school, f"预算他校学生{i}"), Status.APPROVED, Kind.ART_SKILL)
    mate = make_student(tree.school, "预算公示家长孩子", klass=showing)
    Guardianship.objects.create(guardian=guardian, student=mate, relation="母亲")
    return Scene(
        user=make_user("budget_qe_principal", "principal", tree.school),
        urls={
            "quality_eval:klass": f"/quality_eval/classes/{tree.klass.pk}/",
            "quality_eval:publicity": f"/quality_eval/publicity/{p.pk}/",
            "quality_eval:rates": f"/quality_eval/rates/?org={tree.county.pk}",
        },
        users={
            "quality_eval:my": parent,
            "quality_eval:publicity": parent,
            "quality_eval:rates": make_user("budget_qe_county", "county_admin", tree.county),
        },
    )
