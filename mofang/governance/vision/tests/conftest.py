"""Fixtures for 视力健康: a class with a 班主任, pupils with parents (accounts and phones), a
pupil of another county, and the platform's import run as its job runs it."""

import datetime as dt
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from mofang.platform.accounts.models import User
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import make_student, make_user

HEADER = [
    "学籍号",
    "右眼裸眼视力",
    "左眼裸眼视力",
    "右眼球镜",
    "右眼柱镜",
    "右眼轴位",
    "左眼球镜",
    "左眼柱镜",
    "左眼轴位",
    "戴镜情况",
    "筛查日期",
]


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
    c = SimpleNamespace(tree=tree)
    c.head = make_user("head_cs1", "head_teacher", tree.klass, full_name="班主任")
    c.principal = make_user("principal_cs1", "principal", tree.school, full_name="校长")
    c.county = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    c.other_principal = make_user("principal_js", "principal", tree.other_school, full_name="江山校长")
    c.kids = [make_student(tree.school, f"学生{i}", klass=tree.klass) for i in range(6)]
    c.parent = add_parent(tree.school, c.kids[0], "13905710001", "parent_cs1")
    c.outsider = make_student(tree.other_school, "江山学生")
    return c


def sheet(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    import io

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(content: bytes, user, org) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(content)
        return import_file(IMPORTERS["vision_screenings"], str(path), "视力.xlsx", ImportContext(user=user, org=org))


def lines(result: dict) -> list[str]:
    return [
        f"第{e['row']}行" + (f"“{e['column']}”" if e["column"] else "") + f"：{e['message']}" for e in result["errors"]
    ]


def row(student, ra="5.0", la="5.0", rs="", rc="", rx="", ls="", lc="", lx="", glasses="", day="2026-10-15"):
    return [student.student_no, ra, la, rs, rc, rx, ls, lc, lx, glasses, day]


@pytest.fixture
def autumn():
    return dt.date(2026, 10, 15)
