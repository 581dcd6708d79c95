"""get_visible_or_404's compiled statements (scope_statements): a statement compiled for one user is
run for the next user of the same shape with that user's own grants, user and values — never the
first user's — and gives exactly what the ORM's visible_to(...).get(...) gives."""

import pytest
from django.http import Http404

from mofang.platform.accounts import scope_statements
from mofang.platform.accounts.models import Membership, Role
from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Guardian, Guardianship, Student
from mofang.platform.testing import add, make_student, make_user

SELECT = "afterschool.select"
VIEW = "people.view_student"


@pytest.fixture(autouse=True)
def fresh_statements():
    scope_statements.forget()
    yield
    scope_statements.forget()


def parent_of(username, student):
    user = make_user(username, "parent", OrgUnit.objects.get(path=student.school.path[: OrgUnit.steplen]))
    guardian = Guardian.objects.create(name=username, user=user)
    Guardianship.objects.create(guardian=guardian, student=student)
    return user


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_parents_statement_run_for_another_parent_finds_only_that_parents_child(tree):
    mine = make_student(tree.school, "张一", klass=tree.klass)
    theirs = make_student(tree.school, "张二", klass=tree.klass)
    me, them = parent_of("p1", mine), parent_of("p2", theirs)

    assert get_visible_or_404(Student, me, SELECT, pk=mine.pk) == mine  # compiles the "@own" shape
    assert scope_statements.compiled_shapes() == 1
    with pytest.raises(Http404):
        get_visible_or_404(Student, them, SELECT, pk=mine.pk)
    found = get_visible_or_404(Student, them, SELECT, pk=theirs.pk)
    assert scope_statements.compiled_shapes() == 1  # the same statement, their values
    assert fields(found) == fields(Student.objects.visible_to(them, SELECT).get(pk=theirs.pk))
    assert found.birth_date == theirs.birth_date and found.updated_at == theirs.updated_at  # through the converters


def test_a_principals_statement_run_for_another_schools_principal_keeps_each_to_their_school(tree):
    here = make_student(tree.school, "李一", klass=tree.klass)
    there = make_student(tree.other_school, "李二")
    principal = make_user("principal1", "principal", tree.school)
    other = make_user("principal2", "principal", tree.other_school)

    assert get_visible_or_404(Student, principal, VIEW, pk=here.pk) == here
    with pytest.raises(Http404):
        get_visible_or_404(Student, other, VIEW, pk=here.pk)
    assert get_visible_or_404(Student, other, VIEW, pk=there.pk) == there
    with pytest.raises(Http404):
        get_visible_or_404(Student, principal, VIEW, pk=there.pk)


def test_each_grant_of_a_two_grant_statement_takes_its_own_path(tree):
    here = make_student(tree.school, "王一", klass=tree.klass)
    there = make_student(tree.other_school, "王二")
    both = make_user("principal1", "principal", tree.school)
    Membership.objects.create(user=both, role=Role.objects.get(code="principal"), org=tree.other_school)
    other = make_user("principal2", "principal", tree.other_school)
    Membership.objects.create(user=other, role=Role.objects.get(code="principal"), org=tree.department)

    assert get_visible_or_404(Student, both, VIEW, pk=here.pk) == here
    assert get_visible_or_404(Student, both, VIEW, pk=there.pk) == there
    assert get_visible_or_404(Student, other, VIEW, pk=there.pk) == there  # the same two-grant statement
    with pytest.raises(Http404):
        get_visible_or_404(Student, other, VIEW, pk=here.pk)


def test_a_text_lookup_is_a_value_of_the_statement(tree):
    admin = make_user("county1", "county_admin", tree.county)
    assert get_visible_or_404(OrgUnit, admin, "orgs.view_org", pk=tree.county.pk, kind=OrgKind.COUNTY) == tree.county
    with pytest.raises(Http404):  # the same statement: a school is no county
        get_visible_or_404(OrgUnit, admin, "orgs.view_org", pk=tree.school.pk, kind=OrgKind.COUNTY)
    assert get_visible_or_404(OrgUnit, admin, "orgs.view_org", pk=tree.school.pk, kind=OrgKind.SCHOOL) == tree.school


@pytest.mark.parametrize("pk", [0, -1, 2**31, 2**63, 10**20, "abc", "", None])
def test_any_key_is_a_404(tree, pk):
    child = make_student(tree.school, "赵一", klass=tree.klass)
    parent = parent_of("p1", child)
    get_visible_or_404(Student, parent, SELECT, pk=child.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Student, parent, SELECT, pk=pk)


def test_a_lookup_the_statements_do_not_take_still_goes_through_the_scope(tree):
    """A to-many or range lookup is the ORM's every time (never a compiled statement), in scope all the same."""
    county = add(tree.city, "开化县", OrgKind.COUNTY, "330824")
    admin = make_user("county1", "county_admin", tree.county)
    kinds = [OrgKind.COUNTY, OrgKind.SCHOOL]
    assert get_visible_or_404(OrgUnit, admin, "orgs.view_org", pk=tree.school.pk, kind__in=kinds) == tree.school
    with pytest.raises(Http404):
        get_visible_or_404(OrgUnit, admin, "orgs.view_org", pk=county.pk, kind__in=kinds)
    assert scope_statements.compiled_shapes() == 0


def test_no_grant_is_a_404_without_a_statement(tree):
    child = make_student(tree.school, "钱一", klass=tree.klass)
    teacher = make_user("teacher1", "teacher", tree.other_school)
    with pytest.raises(Http404):
        get_visible_or_404(Student, teacher, SELECT, pk=child.pk)
