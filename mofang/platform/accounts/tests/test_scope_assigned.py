"""Scope by assignment: a `perm@assigned` grant sees the rows inside the membership's subtree where
the user is one of the assignees (`scope_assignee_field`), through a to-many path without repeats.

The core has no model with assignees of its own (心理健康护航 declares one), so these tests give the
student roll an assignee path for the duration of a test — through its guardians' accounts, a
to-many relation like a student's care assignments — and a role holding only the @assigned grant."""

import pytest

from mofang.platform.accounts.models import Membership, Role
from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm, has_perm_at
from mofang.platform.people.models import Guardian, Guardianship, Staff, Student
from mofang.platform.testing import make_staff, make_student, make_user

PERM = "people.view_student"


@pytest.fixture
def assigned_role(db):
    return Role.objects.create(code="assigned_probe", name="测试：按分配", permissions=[f"{PERM}@assigned"], rank=99)


@pytest.fixture
def assignees(monkeypatch):
    monkeypatch.setattr(Student, "scope_assignee_field", "guardianships__guardian__user", raising=False)
    monkeypatch.setattr(Staff, "scope_assignee_field", "user", raising=False)


def assign(user, student, name="家长"):
    guardian, _ = Guardian.objects.get_or_create(user=user, defaults={"name": name})
    Guardianship.objects.create(guardian=guardian, student=student)


def member(username, role, org):
    user = make_user(username, "teacher", org)
    Membership.objects.create(user=user, role=role, org=org)
    return user


def test_an_assigned_grant_sees_only_assigned_rows_inside_its_subtree(tree, assigned_role, assignees):
    psych = member("psych", assigned_role, tree.school)
    mine = make_student(tree.school, "张一", klass=tree.klass)
    not_mine = make_student(tree.school, "张二", klass=tree.klass)
    elsewhere = make_student(tree.other_school, "李三")  # assigned, but outside the membership's subtree
    assign(psych, mine)
    assign(psych, elsewhere)
    visible = Student.objects.visible_to(psych, PERM)
    assert list(visible) == [mine]
    assert not visible.filter(pk=not_mine.pk).exists()
    assert get_visible_or_404(Student, psych, PERM, pk=mine.pk) == mine
    with pytest.raises(Exception, match="对象不存在"):
        get_visible_or_404(Student, psych, PERM, pk=not_mine.pk)


def test_a_row_with_several_assignees_counts_once(tree, assigned_role, assignees):
    """Two assignments of the same user (two paths to them) repeat no row: counts stay true."""
    psych = member("psych", assigned_role, tree.school)
    colleague = member("psych2", assigned_role, tree.school)
    child = make_student(tree.school, "王五", klass=tree.klass)
    assign(psych, child)
    assign(colleague, child)
    other = make_student(tree.school, "王六", klass=tree.klass)
    assign(psych, other)
    assert Student.objects.visible_to(psych, PERM).count() == 2
    assert Student.objects.visible_to(colleague, PERM).count() == 1
    assert list(Student.objects.visible_to(psych, PERM).order_by("name").values_list("name", flat=True)) == [
        "王五",
        "王六",
    ]


def test_an_assigned_grant_on_a_model_without_assignees_sees_nothing(tree, assigned_role):
    """Deny by default: no scope_assignee_field, no rows (not the whole subtree)."""
    psych = member("psych", assigned_role, tree.school)
    assign(psych, make_student(tree.school, "赵七", klass=tree.klass))
    assert not Student.objects.visible_to(psych, PERM).exists()


def test_a_direct_assignee_path(tree, assigned_role, assignees):
    role = Role.objects.create(code="staff_probe", name="测试：按分配", permissions=["people.view_staff@assigned"])
    user = member("self", role, tree.school)
    me = make_staff(tree.school, "本人", user=user)
    make_staff(tree.school, "同事")
    assert list(Staff.objects.visible_to(user, "people.view_staff")) == [me]


def test_an_assigned_grant_is_limited_for_every_reader_of_grants(tree, assigned_role):
    """Readers that ask for the whole subtree (`not g.own`: to-dos, indicators, create checks) do
    not take an @assigned grant for one."""
    psych = member("psych", assigned_role, tree.school)
    (g,) = grants_for(psych, PERM)
    assert g.assigned and g.own and g.path == tree.school.path
    assert has_perm(psych, PERM)
    assert not has_perm_at(psych, PERM, tree.klass)
    assert has_perm_at(psych, PERM, tree.klass, allow_own=True)


def test_a_full_grant_on_another_membership_still_sees_the_whole_subtree(tree, assigned_role, assignees):
    psych = member("psych", assigned_role, tree.school)
    Membership.objects.create(user=psych, role=Role.objects.get(code="head_teacher"), org=tree.klass)
    in_class = make_student(tree.school, "钱八", klass=tree.klass)
    assigned = make_student(tree.school, "钱九")  # no class: only the assignment shows it
    assign(psych, assigned)
    make_student(tree.school, "钱十")  # neither
    assert set(Student.objects.visible_to(psych, PERM)) == {in_class, assigned}
    assert Student.objects.visible_to(psych, PERM).count() == 2
