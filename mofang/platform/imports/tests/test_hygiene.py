"""Bad input that still got through (issue 13): control characters in imported cells and in what
is already stored, and files with a title row above the header."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.jobs.models import Job
from mofang.platform.people.importers import StaffImporter, StudentImporter
from mofang.platform.people.models import Staff, Student
from mofang.platform.testing import make_student

from .conftest import STAFF_HEADER, STUDENT_HEADER, csv_bytes, staff_row, student_row
from .test_import_file import three_students


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(content: bytes, name: str = "学生名册.csv", code: str = "students"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/imports/{code}/", {"file": SimpleUploadedFile(name, content)})

    return post


def test_cells_with_nul_or_control_characters_are_bad_rows_in_chinese_and_nothing_is_written(
    client, county_admin, upload
):
    client.force_login(county_admin)
    rows = three_students()
    rows[0][1] = "张\x00小明"  # NUL in 姓名
    rows[2][6] = "一年级1班\x07"  # BEL in the optional 班级
    r = upload(csv_bytes(STUDENT_HEADER, rows))
    job = Job.objects.get()
    assert job.status == "failed" and Student.objects.count() == 0
    assert job.message == "导入未完成：2处错误，未写入任何数据"
    errors = {(e["row"], e["column"]): e["message"] for e in job.result["errors"]}
    assert errors == {
        (2, "姓名"): "姓名含有不可见的控制字符（如空字符），请删除后重新填写",
        (4, "班级"): "班级含有不可见的控制字符（如空字符），请删除后重新填写",
    }
    assert "姓名含有不可见的控制字符" in client.get(r["Location"]).content.decode()
    # the annotated file is written (openpyxl refuses those characters), the rows as sent less them
    f = client.get(f"/jobs/{job.pk}/file/")
    assert f.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(f.streaming_content))).active
    assert [(row[0], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [(2, "张小明"), (4, "王小刚")]


def _titled_workbook(header, rows, *, title_rows: int) -> bytes:
    """A county's own roll: a merged title across the columns, a blank line, then the header."""
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.cell(row=1, column=1, value="常山县2026年教职工名册")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    if title_rows > 2:
        ws.cell(row=2, column=1, value="填报单位：常山县教育局")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    for i, value in enumerate(header, start=1):
        ws.cell(row=title_rows + 1, column=i, value=value)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("title_rows", [1, 3])
def test_a_merged_title_above_the_header_is_skipped_and_rows_keep_their_numbers(
    tree, county_admin, write_file, title_rows
):
    rows = [staff_row("T001", "毛玉梅"), staff_row("T002", "徐立新", sex="男", phone="1380000000"), staff_row("T003")]
    path = write_file("staff.xlsx", _titled_workbook(STAFF_HEADER, rows, title_rows=title_rows))
    result = import_file(StaffImporter(), path, "教职工.xlsx", ImportContext(user=county_admin, org=tree.county))
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(title_rows + 3, "手机号")]
    rows[1][4] = "13800000002"
    path = write_file("staff.xlsx", _titled_workbook(STAFF_HEADER, rows, title_rows=title_rows))
    result = import_file(StaffImporter(), path, "教职工.xlsx", ImportContext(user=county_admin, org=tree.county))
    assert result["error_count"] == 0, result["errors"]
    assert sorted(Staff.objects.values_list("staff_no", flat=True)) == ["T001", "T002", "T003"]


def test_a_csv_with_a_title_line_imports_too(tree, county_admin, write_file):
    content = "常山县2026年学生名册,,,,,,,\n".encode() + csv_bytes(STUDENT_HEADER, [student_row("G330822201809010001")])
    path = write_file("students.csv", content)
    result = import_file(StudentImporter(), path, "学生.csv", ImportContext(user=county_admin, org=tree.county))
    assert result["error_count"] == 0 and result["created"] == 1


def test_a_file_without_the_header_still_names_the_missing_columns(tree, county_admin, write_file):
    path = write_file("staff.xlsx", _titled_workbook(["工号", "姓名"], [["T001", "毛玉梅"]], title_rows=1))
    result = import_file(StaffImporter(), path, "教职工.xlsx", ImportContext(user=county_admin, org=tree.county))
    assert result["errors"][0]["message"].startswith("文件缺少必填列：性别、身份证号")


def test_exports_of_rows_already_holding_control_characters_are_written_without_them(client, tree, county_admin):
    student = make_student(tree.school, "张小明")
    Student.objects.filter(pk=student.pk).update(name="张\x01小明\x07")
    client.force_login(county_admin)
    r = client.get("/students/?export=xlsx")
    assert r.status_code == 200
    names = [
        row[1] for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert names == ["张小明"]

    # the audit log is append-only: a row written before its text was cleaned
    record(actor=county_admin, action=AuditAction.UPDATE, org=tree.county, summary="修改\x1b学生")
    r = client.get("/audit/?export=xlsx")
    assert r.status_code == 200
    cells = {c for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row}
    assert "修改学生" in cells
