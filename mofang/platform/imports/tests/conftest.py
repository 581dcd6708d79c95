"""Fixtures for the import path: a county administrator and student/staff rows as files."""

import csv
import io

import openpyxl
import pytest

from mofang.platform.testing import make_id_number, make_user

STUDENT_HEADER = ["学籍号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "班级", "入学日期"]
STAFF_HEADER = ["工号", "姓名", "性别", "身份证号", "手机号", "单位代码", "岗位", "任教学科"]


def student_row(
    no: str,
    name: str = "张小明",
    *,
    sex: str = "男",
    birth: str = "2018-09-01",
    school: str = "3308220001",
    klass: str = "",
    enrolled: str = "2024-09-01",
    id_number: str = "",
):
    idn = id_number or make_id_number(birth.replace("-", ""), "M" if sex == "男" else "F")
    return [no, name, sex, birth, idn, school, klass, enrolled]


def staff_row(no: str, name: str = "毛玉梅", *, sex: str = "女", org: str = "3308220001", phone: str = "13800000001"):
    return [no, name, sex, make_id_number("19850312", "M" if sex == "男" else "F"), phone, org, "教师", "语文"]


def csv_bytes(header, rows, encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def county_admin(tree):
    return make_user("county", "county_admin", tree.county, full_name="常山县管理员")


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write
