"""The import path through `import_file`: encodings, validation, all-or-nothing, idempotency."""

import datetime as dt
import io
import zipfile

import pytest

from mofang.platform.audit.models import AuditEntry
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.people import identity
from mofang.platform.people.importers import StaffImporter, StudentImporter
from mofang.platform.people.models import Staff, Student
from mofang.platform.testing import make_id_number, make_student, make_user

from .conftest import STAFF_HEADER, STUDENT_HEADER, csv_bytes, staff_row, student_row, xlsx_bytes


def run(importer, path, name, user, org):
    return import_file(importer, path, name, ImportContext(user=user, org=org))


def three_students():
    return [
        student_row("G330822201809010001", "张小明"),
        student_row("G330822201809010002", "李小红", sex="女", klass="一年级1班"),
        student_row("G330822201809010003", "王小刚", birth="2017-03-15"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_and_gbk_all_import(tree, county_admin, write_file, encoding):
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, three_students(), encoding))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert result["error_count"] == 0, result["errors"]
    assert (result["created"], result["updated"], result["rows"]) == (3, 0, 3)
    names = sorted(Student.objects.values_list("name", flat=True))
    assert names == sorted(["张小明", "李小红", "王小刚"])


def test_xlsx_imports_with_dates_and_class(tree, county_admin, write_file):
    rows = three_students()
    rows[0][3] = dt.datetime(2018, 9, 1)  # Excel stores dates as dates, not text
    path = write_file("students.xlsx", xlsx_bytes(STUDENT_HEADER, rows))
    result = run(StudentImporter(), path, "学生.xlsx", county_admin, tree.county)
    assert result["error_count"] == 0, result["errors"]
    assert result["created"] == 3
    red = Student.objects.get(student_no="G330822201809010002")
    assert red.klass_id == tree.klass.pk and red.sex == "F"
    assert red.school_id == tree.school.pk


def test_id_numbers_are_sealed_hashed_and_masked(tree, county_admin, write_file):
    rows = three_students()
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, rows))
    run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    s = Student.objects.get(student_no=rows[0][0])
    assert identity.unseal(s.id_number_sealed) == rows[0][4]
    assert s.id_number_hash == identity.lookup_hash(rows[0][4])
    assert s.id_number_masked == identity.mask_id_number(rows[0][4])
    assert s.birth_date == dt.date(2018, 9, 1) and s.enrolled_on == dt.date(2024, 9, 1)


def test_a_successful_import_is_audited_once(tree, county_admin, write_file):
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, three_students()))
    run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    entry = AuditEntry.objects.get(action="import")
    assert "新增3条" in entry.summary and entry.org_id == tree.county.pk


def bad_file_rows():
    good = student_row("G330822201809010001", "张小明")
    bad_check = student_row("G330822201809010002", "李小红")
    bad_check[4] = bad_check[4][:17] + ("0" if bad_check[4][17] != "0" else "1")
    wrong_birth = student_row("G330822201809010003", "王小刚")
    wrong_birth[3] = "2018-09-02"
    unknown_school = student_row("G330822201809010004", "赵小丽", school="3308229999")
    outside_scope = student_row("G330822201809010005", "钱小伟", school="3308810001")
    duplicate = student_row("G330822201809010001", "孙小芳")
    no_name = student_row("G330822201809010006", "")
    return [good, bad_check, wrong_birth, unknown_school, outside_scope, duplicate, no_name]


EXPECTED_BAD = [
    (3, "身份证号", "身份证号校验位错误"),
    (4, "出生日期", "出生日期与身份证号不一致"),
    (5, "学校标识码", "学校不存在或不在您的数据范围内"),
    (6, "学校标识码", "学校不存在或不在您的数据范围内"),
    (7, "学籍号", "与第2行重复"),
    (8, "姓名", "姓名不能为空"),
]


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_bad_row(tree, county_admin, write_file):
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, bad_file_rows()))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert Student.objects.count() == 0
    assert not AuditEntry.objects.filter(action="import").exists()
    assert (result["created"], result["updated"]) == (0, 0)
    got = [(e["row"], e["column"], e["message"]) for e in result["errors"]]
    assert got == EXPECTED_BAD
    assert result["error_count"] == 6 and result["bad_rows"] == 6


def test_bad_rows_after_a_full_chunk_still_roll_back_the_written_chunk(tree, county_admin, write_file):
    importer = StudentImporter()
    importer.chunk_size = 2
    rows = three_students() + [student_row("G330822201809010009", school="3308229999")]
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, rows))
    result = run(importer, path, "学生.csv", county_admin, tree.county)
    assert result["error_count"] == 1
    assert Student.objects.count() == 0


def test_reimporting_the_same_file_only_updates(tree, county_admin, write_file):
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, three_students()))
    first = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    again = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert (first["created"], first["updated"]) == (3, 0)
    assert (again["created"], again["updated"]) == (0, 3)
    assert Student.objects.count() == 3


def test_reimport_applies_changed_values(tree, county_admin, write_file):
    rows = three_students()
    run(StudentImporter(), write_file("a.csv", csv_bytes(STUDENT_HEADER, rows)), "a.csv", county_admin, tree.county)
    rows[0][1] = "张晓明"
    rows[0][6] = "一年级1班"
    result = run(
        StudentImporter(), write_file("b.csv", csv_bytes(STUDENT_HEADER, rows)), "b.csv", county_admin, tree.county
    )
    assert (result["created"], result["updated"]) == (0, 3)
    s = Student.objects.get(student_no=rows[0][0])
    assert s.name == "张晓明" and s.klass_id == tree.klass.pk


def test_a_missing_required_column_is_named(tree, county_admin, write_file):
    header = [h for h in STUDENT_HEADER if h != "身份证号"]
    rows = [[c for i, c in enumerate(r) if i != 4] for r in three_students()]
    path = write_file("students.csv", csv_bytes(header, rows))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert result["error_count"] == 1
    assert result["errors"][0]["row"] == 1
    assert result["errors"][0]["message"] == "文件缺少必填列：身份证号（请使用下载的模板）"
    assert Student.objects.count() == 0


def test_optional_columns_may_be_left_out_of_the_file(tree, county_admin, write_file):
    header = STUDENT_HEADER[:6]
    rows = [r[:6] for r in three_students()]
    path = write_file("students.csv", csv_bytes(header, rows))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert result["created"] == 3 and result["error_count"] == 0


def test_an_unknown_class_is_reported(tree, county_admin, write_file):
    rows = [student_row("G330822201809010001", klass="九年级9班")]
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, rows))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [(2, "班级", "该校没有这个班级")]


def test_sex_must_match_the_id_number(tree, county_admin, write_file):
    row = student_row("G330822201809010001")
    row[2] = "女"
    result = run(
        StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, [row])), "s.csv", county_admin, tree.county
    )
    assert [(e["column"], e["message"]) for e in result["errors"]] == [("性别", "性别与身份证号不一致")]


def test_the_same_id_number_twice_in_a_file_is_refused(tree, county_admin, write_file):
    a = student_row("G330822201809010001")
    b = student_row("G330822201809010002", id_number=a[4])
    result = run(
        StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, [a, b])), "s.csv", county_admin, tree.county
    )
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "身份证号")]


def test_blank_lines_are_skipped(tree, county_admin, write_file):
    rows = three_students()
    rows.insert(1, [""] * 8)
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, rows))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert result["created"] == 3 and result["error_count"] == 0


def test_a_file_with_no_data_rows_is_refused(tree, county_admin, write_file):
    path = write_file("students.csv", csv_bytes(STUDENT_HEADER, []))
    result = run(StudentImporter(), path, "学生.csv", county_admin, tree.county)
    assert result["error_count"] == 1 and result["errors"][0]["message"] == "文件中没有数据行"


def test_an_unreadable_file_is_refused_in_chinese(tree, county_admin, write_file):
    path = write_file("students.xlsx", b"not a workbook")
    result = run(StudentImporter(), path, "学生.xlsx", county_admin, tree.county)
    assert "无法读取 xlsx 文件" in result["errors"][0]["message"]


def _damaged(part: str, replace) -> bytes:
    """A real workbook of three students with one part of its zip rewritten."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes(STUDENT_HEADER, three_students())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in good.namelist():
            z.writestr(name, replace(good.read(name)) if name == part else good.read(name))
    return out.getvalue()


@pytest.mark.parametrize(
    "damage",
    [
        ("xl/workbook.xml", lambda xml: xml[: len(xml) // 2]),  # the workbook's XML cut short
        ("xl/worksheets/sheet1.xml", lambda xml: xml[:60]),  # the sheet's XML cut short
        ("xl/_rels/workbook.xml.rels", lambda xml: xml.replace(b"sheet1.xml", b"sheet9.xml")),  # no sheet
    ],
    ids=["workbook", "sheet", "no-sheet"],
)
def test_a_damaged_workbook_is_refused_in_chinese(tree, county_admin, write_file, damage):
    path = write_file("students.xlsx", _damaged(*damage))
    result = run(StudentImporter(), path, "学生.xlsx", county_admin, tree.county)
    assert "无法读取 xlsx 文件" in result["errors"][0]["message"] and result["created"] == 0
    assert not Student.objects.exists()


def test_a_student_of_another_county_cannot_be_taken_over_by_student_number(tree, county_admin, write_file):
    # 江山市's student, imported by 常山县 with its own school code: an upsert by 学籍号 alone
    # would move the record into 常山县 — out of scope rows are refused, not overwritten.
    theirs = make_student(tree.other_school, "李其他")
    row = student_row(theirs.student_no, "冒名")
    result = run(
        StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, [row])), "s.csv", county_admin, tree.county
    )
    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [
        (2, "学籍号", "该学籍号已登记在您数据范围以外的单位，不能导入覆盖")
    ]
    theirs.refresh_from_db()
    assert theirs.name == "李其他" and theirs.school_id == tree.other_school.pk


def test_a_school_user_imports_only_into_the_school(tree, write_file):
    principal = make_user("principal", "principal", tree.school)
    rows = [student_row("G330822201809010001"), student_row("G330822201809010002", school="3308810001")]
    result = run(
        StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, rows)), "s.csv", principal, tree.school
    )
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "学校标识码")]


# --- staff -----------------------------------------------------------------------------


def test_staff_import_creates_then_updates(tree, county_admin, write_file):
    rows = [staff_row("T001", "毛玉梅"), staff_row("T002", "徐建国", sex="男", org="330822", phone="139 0000 0002")]
    path = write_file("staff.csv", csv_bytes(STAFF_HEADER, rows, "gbk"))
    first = run(StaffImporter(), path, "教职工.csv", county_admin, tree.county)
    assert (first["created"], first["updated"], first["error_count"]) == (2, 0, 0), first["errors"]
    again = run(StaffImporter(), path, "教职工.csv", county_admin, tree.county)
    assert (again["created"], again["updated"]) == (0, 2)
    xu = Staff.objects.get(staff_no="T002")
    assert xu.org_id == tree.county.pk and xu.phone == "13900000002" and xu.phone_masked == "139****0002"
    assert identity.unseal(xu.id_number_sealed) == rows[1][3]


def test_staff_rows_are_checked_and_nothing_written_on_error(tree, county_admin, write_file):
    rows = [
        staff_row("T001"),
        staff_row("T002", phone="12345"),
        staff_row("T003", org="330881"),
        staff_row("T001", "重复"),
    ]
    path = write_file("staff.csv", csv_bytes(STAFF_HEADER, rows))
    result = run(StaffImporter(), path, "教职工.csv", county_admin, tree.county)
    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [
        (3, "手机号", "手机号应为11位中国大陆手机号码"),
        (4, "单位代码", "单位不存在或不在您的数据范围内"),
        (5, "工号", "与第2行重复"),
    ]
    assert Staff.objects.count() == 0


def test_staff_id_number_check_digit(tree, county_admin, write_file):
    row = staff_row("T001")
    row[3] = make_id_number("19850312", "F")[:17] + "Y"
    result = run(
        StaffImporter(), write_file("s.csv", csv_bytes(STAFF_HEADER, [row])), "s.csv", county_admin, tree.county
    )
    assert result["errors"][0]["column"] == "身份证号"
