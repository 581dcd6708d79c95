"""Fixtures for 体质健康: a primary school's class with children, a junior school's, the school's
staff, a head teacher, a parent and the county — built through the platform's own helpers."""

from types import SimpleNamespace

import pytest

from mofang.platform.accounts.models import User
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import add, make_student, make_user


def add_parent(school, child, phone: str, username: str) -> User:
    user = make_user(username, "parent", school, full_name=f"{child.name}家长")
    g = Guardian(name=f"{child.name}家长", user=user)
    g.set_phone(phone)
    g.save()
    Guardianship.objects.create(guardian=g, student=child, relation="母亲")
    return user


@pytest.fixture
def fit(tree):
    f = SimpleNamespace(tree=tree)
    grade5 = add(tree.school, "五年级", OrgKind.GRADE)
    f.class5 = add(grade5, "五年级1班", OrgKind.CLASS)
    f.junior = add(
        tree.county,
        "常山县第一中学",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.JUNIOR,
        ownership=Ownership.PUBLIC,
    )
    f.class7 = add(add(f.junior, "七年级", OrgKind.GRADE), "七年级1班", OrgKind.CLASS)
    f.principal = make_user("principal_fit", "principal", tree.school, full_name="校长")
    f.junior_principal = make_user("principal_fit2", "principal", f.junior, full_name="中学校长")
    f.head = make_user("head_fit", "head_teacher", f.class5, full_name="班主任")
    f.teacher = make_user("teacher_fit", "teacher", tree.school, full_name="教师")
    f.county = make_user("county_fit", "county_admin", tree.county, full_name="县管理员")
    f.boy = make_student(tree.school, "张小明", klass=f.class5, sex="M", grade=5)
    f.girl = make_student(tree.school, "王小红", klass=f.class5, sex="F", grade=5)
    f.first = make_student(tree.school, "李一年", klass=tree.klass, sex="M", grade=1)
    f.teen = make_student(f.junior, "赵初一", klass=f.class7, sex="M", grade=7)
    f.teen_girl = make_student(f.junior, "钱初一", klass=f.class7, sex="F", grade=7)
    f.outsider = make_student(tree.other_school, "江山生", sex="M", grade=5)
    f.parent = add_parent(tree.school, f.boy, "13905719001", "parent_fit")
    return f
