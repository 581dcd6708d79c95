"""Importing 代课 and 托管 records through the platform's import path."""

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.governance.timebank.models import AfterSchoolDuty, LedgerEntry, SubstitutionRecord
from mofang.governance.timebank.services.common import today
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.jobs.models import Job

from .conftest import last_month

SUB_HEADER = ["记录编号", "教师工号", "教师姓名", "被代课教师工号", "日期", "课时数", "备注"]


def _csv(tmp_path, header, rows, name="records.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def _import(code, path, user, org):
    return import_file(IMPORTERS[code], path, "records.csv", ImportContext(user=user, org=org))


@pytest.fixture
def good_rows(people):
    d = last_month().isoformat()
    return [
        ["DK-001", people.mao.staff_no, "毛玉梅", people.colleague.staff_no, d, "2", "病假代课"],
        ["DK-002", people.mao.staff_no, "", "", d, "2", ""],
        ["DK-003", people.colleague.staff_no, "王丽华", people.mao.staff_no, d, "1", ""],
    ]


def test_substitution_records_import_and_credit(tmp_path, bank, people, tree, good_rows, mao_account):
    result = _import("timebank_substitutions", _csv(tmp_path, SUB_HEADER, good_rows), people.academic, tree.school)
    assert (result["created"], result["updated"], result["error_count"]) == (3, 0, 0)
    assert mao_account.current_balance() == Decimal("2.0")
    assert SubstitutionRecord.objects.get(record_no="DK-001").absent == people.colleague


def test_reimporting_the_same_file_changes_nothing(tmp_path, bank, people, tree, good_rows, mao_account):
    path = _csv(tmp_path, SUB_HEADER, good_rows)
    _import("timebank_substitutions", path, people.academic, tree.school)
    again = _import("timebank_substitutions", path, people.academic, tree.school)
    assert (again["created"], again["updated"], again["error_count"]) == (0, 0, 0)
    assert SubstitutionRecord.objects.count() == 3 and LedgerEntry.objects.count() == 3
    assert mao_account.current_balance() == Decimal("2.0")


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(tmp_path, bank, people, tree, good_rows):
    future = (today() + dt.timedelta(days=2)).isoformat()
    rows = good_rows + [
        ["DK-004", "T-NOBODY", "", "", last_month().isoformat(), "1", ""],  # row 5
        ["DK-005", people.mao.staff_no, "张三", "", last_month().isoformat(), "1", ""],  # row 6
        ["DK-006", people.mao.staff_no, "", "", future, "1", ""],  # row 7
        ["DK-007", people.mao.staff_no, "", "", last_month().isoformat(), "9", ""],  # row 8
        ["DK-008", people.mao.staff_no, "", people.mao.staff_no, last_month().isoformat(), "1", ""],  # row 9
        ["DK-009", people.other_staff.staff_no, "", "", last_month().isoformat(), "1", ""],  # row 10
        ["DK-001", people.mao.staff_no, "", "", last_month().isoformat(), "1", ""],  # row 11: duplicate key
        ["", people.mao.staff_no, "", "", "2026-02-30", "一", ""],  # row 12
    ]
    result = _import("timebank_substitutions", _csv(tmp_path, SUB_HEADER, rows), people.academic, tree.school)
    errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert errors[(5, "教师工号")].startswith("教师不存在")
    assert errors[(6, "教师姓名")] == "姓名与工号不一致（该工号为毛玉梅）"
    assert errors[(7, "日期")] == "日期不能晚于今天"
    assert errors[(8, "课时数")] == "课时数应为1至8之间的整数"
    assert errors[(9, "被代课教师工号")] == "代课教师与被代课教师不能是同一人"
    assert errors[(10, "教师工号")].startswith("教师不存在")  # another county's school is out of scope
    assert errors[(11, "记录编号")] == "与第2行重复"
    assert errors[(12, "记录编号")] == "记录编号不能为空"
    assert errors[(12, "日期")] == "日期不存在" and errors[(12, "课时数")] == "课时数应为整数"
    assert result["created"] == 0
    assert not SubstitutionRecord.objects.exists() and not LedgerEntry.objects.exists()


def test_a_reimported_number_with_different_content_is_an_error(tmp_path, bank, people, tree, good_rows):
    _import("timebank_substitutions", _csv(tmp_path, SUB_HEADER, good_rows), people.academic, tree.school)
    changed = [["DK-002", people.mao.staff_no, "", "", last_month().isoformat(), "3", ""]]
    result = _import(
        "timebank_substitutions", _csv(tmp_path, SUB_HEADER, changed, "b.csv"), people.academic, tree.school
    )
    assert result["errors"][0]["row"] == 2 and result["errors"][0]["column"] == "记录编号"
    assert "已登记且内容不同" in result["errors"][0]["message"]
    assert SubstitutionRecord.objects.get(record_no="DK-002").periods == 2


def test_after_school_duty_import(tmp_path, bank, people, tree, mao_account):
    header = ["记录编号", "教师工号", "教师姓名", "日期", "课时数", "备注"]
    rows = [
        [f"TG-{n}", people.mao.staff_no, "毛玉梅", last_month().replace(day=n).isoformat(), "2", ""]
        for n in range(1, 8)
    ]
    result = _import("timebank_duties", _csv(tmp_path, header, rows), people.academic, tree.school)
    assert result["created"] == 7 and AfterSchoolDuty.objects.count() == 7
    assert mao_account.current_balance() == Decimal("14.0")


def test_only_the_school_may_import_records(client, bank, people):
    client.force_login(people.teacher_user)
    assert client.get("/imports/timebank_substitutions/").status_code == 404
    client.force_login(people.county)
    assert client.get("/imports/timebank_duties/").status_code == 404


def test_the_upload_page_runs_the_import_as_a_job(
    client, bank, people, good_rows, tmp_path, django_capture_on_commit_callbacks
):
    content = open(_csv(tmp_path, SUB_HEADER, good_rows), "rb").read()
    client.force_login(people.academic)
    assert client.get("/imports/timebank_substitutions/template/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/imports/timebank_substitutions/",
            {"file": SimpleUploadedFile("代课.csv", content, content_type="text/csv")},
        )
    job = Job.objects.get(kind="import:timebank_substitutions")
    assert r.status_code == 302 and job.status == "succeeded" and job.result["created"] == 3
