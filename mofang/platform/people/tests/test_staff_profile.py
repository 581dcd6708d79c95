"""Staff profiles: the import template's new columns (each bad row reported), the edit page
(audited before → after), the list's category filter, and 专任教师 as the indicators' teachers."""

import datetime as dt

from django.utils import timezone

from mofang.platform.audit.models import AuditAction, AuditEntry
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.people.importers import StaffImporter
from mofang.platform.people.models import Staff, StaffCategory
from mofang.platform.testing import make_id_number, make_staff, make_user

HEADER = [
    "工号",
    "姓名",
    "性别",
    "身份证号",
    "手机号",
    "单位代码",
    "岗位",
    "任教学科",
    "类别",
    "专兼职",
    "职称",
    "教师资格种类",
    "教师资格证编号",
    "其他证书",
    "入职日期",
]


def row(
    no,
    *,
    category="专任教师",
    cert_kind="小学",
    cert_no="20083300122000456",
    certs="",
    subjects="语文、道德与法治",
    hired="2008-09-01",
    employment="专职",
):
    return [
        no,
        "毛玉梅",
        "女",
        make_id_number("19850312", "F"),
        "13800000001",
        "3308220001",
        "教师",
        subjects,
        category,
        employment,
        "一级教师",
        cert_kind,
        cert_no,
        certs,
        hired,
    ]


def run(path, user, org):
    return import_file(StaffImporter(), path, "教职工.csv", ImportContext(user=user, org=org))


def test_a_full_profile_imports_with_subjects_certificates_and_updated_at(tree, county_admin, csv_file):
    before = dt.datetime.now(dt.UTC)
    path = csv_file(
        HEADER,
        [
            row("T1", certs="心理健康教育C证/ZJXL2021C0107/2021-06-30"),
            row("T2", category="工勤", cert_kind="", cert_no="", subjects="", employment="兼职"),
        ],
    )
    result = run(path, county_admin, tree.county)
    assert result["error_count"] == 0, result["errors"]
    mao = Staff.objects.get(staff_no="T1")
    assert mao.category == StaffCategory.TEACHER and mao.subjects == ["语文", "道德与法治"]
    assert (mao.teacher_cert_kind, mao.teacher_cert_no, mao.title) == ("小学", "20083300122000456", "一级教师")
    assert mao.certificates == [{"kind": "心理健康教育C证", "number": "ZJXL2021C0107", "date": "2021-06-30"}]
    assert mao.hired_on == dt.date(2008, 9, 1) and mao.updated_at >= before
    worker = Staff.objects.get(staff_no="T2")
    assert (worker.category, worker.employment, worker.teacher_cert_no) == ("worker", "part", "")


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(tree, county_admin, csv_file):
    path = csv_file(
        HEADER,
        [
            row("T1"),
            row("T2", cert_no="2008330012200045X"),  # not 17 digits
            row("T3", category="临时工"),  # unknown category
            row("T4", cert_no=""),  # kind without number
            row("T5", certs="心理健康教育D证/1/2021-06-30"),  # unknown certificate kind
            row("T6", subjects="语文、语文"),  # a subject twice
            row("T7", hired="2000-09-01"),  # before the age of 16 (born 1985)
        ],
    )
    result = run(path, county_admin, tree.county)
    found = {(e["row"], e["column"]) for e in result["errors"]}
    assert found == {
        (3, "教师资格证编号"),
        (4, "类别"),
        (5, "教师资格证编号"),
        (6, "其他证书"),
        (7, "任教学科"),
        (8, "入职日期"),
    }
    messages = {e["row"]: e["message"] for e in result["errors"]}
    assert "17位数字" in messages[3] and "专任教师、行政、教辅、工勤" in messages[4]
    assert not Staff.objects.exists()


def test_the_staff_edit_page_changes_the_profile_audited_before_and_after(client, tree):
    staff = make_staff(tree.school, "毛玉梅")
    client.force_login(make_user("p", "principal", tree.school))
    bad = client.post(
        f"/staff/{staff.pk}/edit/",
        {"category": "teacher", "employment": "full", "teacher_cert_kind": "小学", "teacher_cert_no": "123"},
    )
    assert bad.status_code == 400 and "教师资格证编号：教师资格证编号应为17位数字" in bad.content.decode()
    ok = client.post(
        f"/staff/{staff.pk}/edit/",
        {
            "category": "admin",
            "employment": "full",
            "position": "教务主任",
            "title": "高级教师",
            "subject": "语文，数学",
            "teacher_cert_kind": "小学",
            "teacher_cert_no": "20083300122000456",
            "certificates": "心理健康教育C证/ZJXL2021C0107/2021-06-30",
            "hired_on": "2008-09-01",
        },
    )
    assert ok.status_code == 302
    staff.refresh_from_db()
    assert (staff.category, staff.subject, staff.hired_on) == ("admin", "语文、数学", dt.date(2008, 9, 1))
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(staff.pk))
    assert entry.before["category"] == "teacher" and entry.after["category"] == "admin"
    page = client.get(f"/staff/{staff.pk}/").content.decode()
    assert "行政" in page and "心理健康教育C证 ZJXL2021C0107" in page and "20083300122000456" in page


def test_the_staff_list_filters_by_category(client, tree):
    make_staff(tree.school, "甲老师")
    make_staff(tree.school, "乙老师")
    make_staff(tree.school, "丙门卫", category=StaffCategory.WORKER)
    client.force_login(make_user("p", "principal", tree.school))
    workers = client.get("/staff/?category=worker").content.decode()
    assert '<strong class="total-count">1<' in workers and "丙门卫" in workers and "甲老师" not in workers
    assert '<strong class="total-count">3<' in client.get("/staff/").content.decode()


def test_only_full_time_teachers_count_as_teachers_in_the_indicators(tree):
    from mofang.platform.indicators.periods import parse_period
    from mofang.platform.indicators.sources.people import teachers

    make_staff(tree.school, "教师甲", phone="13800000001")
    make_staff(tree.school, "教师乙", phone="13800000002")
    make_staff(tree.school, "行政人员", category=StaffCategory.ADMIN)
    make_staff(tree.school, "工勤人员", category=StaffCategory.WORKER)
    make_staff(tree.county, "教研员")  # a bureau's staff member is no school's teacher
    year = str(timezone.localdate().year)
    assert dict(teachers(parse_period(year))) == {tree.school.pk: 2}
