"""Fixtures for 教师发展: 常山县第一小学 with a time bank, 毛玉梅 and a colleague, the county's rules
(set through the rules service), and the platform's import run as its job runs it."""

import datetime as dt
import io
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import Workbook

from mofang.governance.teacher_dev import services
from mofang.governance.timebank import services as bank_services
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.testing import make_staff, make_user

HEADER = ["记录编号", "教师工号", "姓名", "类别", "日期", "数量", "事项"]


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def td(tree):
    p = SimpleNamespace(tree=tree)
    p.principal = make_user("principal_cs1", "principal", tree.school, full_name="校长")
    p.academic = make_user("academic_cs1", "academic", tree.school, full_name="教务")
    p.auditor = make_user("auditor_cs1", "bank_auditor", tree.school, full_name="银行专管员")
    p.county = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    p.other_county = make_user("admin_js", "county_admin", tree.other_county, full_name="江山市管理员")
    p.teacher_user = make_user("maoyumei", "teacher", tree.school, full_name="毛玉梅")
    p.colleague_user = make_user("teacher_cs1b", "teacher", tree.school, full_name="王丽华")
    p.mao = make_staff(tree.school, "毛玉梅", user=p.teacher_user, phone="13905700001")
    p.colleague = make_staff(tree.school, "王丽华", user=p.colleague_user, phone="13905700002")
    p.outsider = make_staff(tree.other_school, "江山教师", phone="13905700003")
    p.month = last_month()
    p.bank = bank_services.open_bank(tree.school, started_on=p.month - dt.timedelta(days=400), acting_user=p.principal)
    services.ensure_default_rules(tree.county, effective_from=dt.date(2020, 1, 1), acting_user=p.county)
    return p


def sheet(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(content: bytes, user, org) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(content)
        return import_file(
            IMPORTERS["teacher_dev_activities"], str(path), "积分记录.xlsx", ImportContext(user=user, org=org)
        )


def lines(result: dict) -> list[str]:
    return [
        f"第{e['row']}行" + (f"“{e['column']}”" if e["column"] else "") + f"：{e['message']}" for e in result["errors"]
    ]
