"""Fixtures for 综合素质评价: a class with its 班主任, a teacher, the school (校长, 教务), pupils with
parents (accounts), a parent of another class, and small evidence files."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.accounts.models import User
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import add, make_student, make_user

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0P\x0f\x00\x04\x85\x01\x80\x84\xa9\x8c!\x00\x00\x00\x00IEND\xaeB`\x82"
)
AUTUMN = dt.date(2026, 10, 12)  # a Monday of 2026-2027学年第一学期


def png(name="证书.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def add_parent(school, child, phone: str, username: str) -> User:
    user = make_user(username, "parent", school, full_name=f"{child.name}家长")
    user.phone = phone
    user.save(update_fields=["phone"])
    g = Guardian(name=f"{child.name}家长", user=user)
    g.set_phone(phone)
    g.save()
    Guardianship.objects.create(guardian=g, student=child, relation="母亲")
    return user


@pytest.fixture
def cls(tree):
    c = SimpleNamespace(tree=tree, klass=tree.klass)
    c.head = make_user("head_cs1", "head_teacher", tree.klass, full_name="班主任")
    c.teacher = make_user("teacher_cs1b", "teacher", tree.school, full_name="体育老师")
    c.principal = make_user("principal_cs1", "principal", tree.school, full_name="校长")
    c.academic = make_user("academic_cs1", "academic", tree.school, full_name="教务")
    c.county = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    c.kids = [make_student(tree.school, f"学生{i}", klass=tree.klass) for i in range(4)]
    c.parent = add_parent(tree.school, c.kids[0], "13905710001", "parent_cs1")
    c.classmate_parent = add_parent(tree.school, c.kids[1], "13905710002", "parent_cs1b")
    c.other_class = add(OrgUnit.objects.get_parent(tree.klass), "一年级2班", OrgKind.CLASS)
    c.other_kid = make_student(tree.school, "隔壁班学生", klass=c.other_class)
    c.other_parent = add_parent(tree.school, c.other_kid, "13905710003", "parent_cs2")
    return c
