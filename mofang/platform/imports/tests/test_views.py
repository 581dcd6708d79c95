"""The import pages: template download, upload → job page, errors and the annotated file."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.jobs.models import Job
from mofang.platform.people.models import Student
from mofang.platform.testing import make_user

from .conftest import STUDENT_HEADER, csv_bytes, xlsx_bytes
from .test_import_file import EXPECTED_BAD, bad_file_rows, three_students


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """POST a file; the job's task is enqueued on commit and runs at once (immediate backend)."""

    def post(content: bytes, name: str = "学生名册.csv", code: str = "students"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/imports/{code}/", {"file": SimpleUploadedFile(name, content)})

    return post


def test_index_lists_only_the_imports_the_user_may_run(client, tree):
    principal = make_user("academic", "academic", tree.school)  # may import students, not staff
    client.force_login(principal)
    body = client.get("/imports/").content.decode()
    assert "学生名册" in body and "教职工名册" not in body


def test_template_is_xlsx_with_chinese_headers_and_an_example(client, county_admin):
    client.force_login(county_admin)
    r = client.get("/imports/students/template/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == STUDENT_HEADER + ["入学年份"]  # the optional roll column comes last
    assert rows[1][0] == "G330106201809011232"
    assert wb.worksheets[1].title == "填写说明"


def test_the_template_example_row_passes_its_own_parsers(county_admin):
    from mofang.platform.imports.base import IMPORTERS

    for importer in IMPORTERS.values():
        values, errors = importer.parse_cells(
            [c.example for c in importer.columns], {c.key: i for i, c in enumerate(importer.columns)}
        )
        assert errors == [], (importer.code, errors)


def test_upload_redirects_to_the_finished_job(client, tree, county_admin, upload):
    client.force_login(county_admin)
    r = upload(csv_bytes(STUDENT_HEADER, three_students(), "gbk"))
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    body = client.get(r["Location"]).content.decode()
    assert "已完成" in body
    assert "新增 <strong>3</strong> 条，更新 <strong>0</strong> 条" in body
    assert Student.objects.count() == 3
    assert job.org_id == tree.county.pk and job.created_by_id == county_admin.pk


def test_xlsx_upload_imports(client, county_admin, upload):
    client.force_login(county_admin)
    r = upload(xlsx_bytes(STUDENT_HEADER, three_students()), "学生名册.xlsx")
    assert r.status_code == 302
    assert Student.objects.count() == 3
    assert Job.objects.get().result["created"] == 3


def test_reupload_is_idempotent_on_the_job_page(client, county_admin, upload):
    client.force_login(county_admin)
    content = csv_bytes(STUDENT_HEADER, three_students())
    upload(content)
    r = upload(content)
    body = client.get(r["Location"]).content.decode()
    assert "新增 <strong>0</strong> 条，更新 <strong>3</strong> 条" in body
    assert Student.objects.count() == 3


def test_bad_rows_are_listed_on_the_job_page_and_in_the_annotated_file(client, county_admin, upload):
    client.force_login(county_admin)
    sent = bad_file_rows()
    r = upload(csv_bytes(STUDENT_HEADER, sent))
    assert Student.objects.count() == 0
    job = Job.objects.get()
    assert job.status == "failed"
    body = client.get(r["Location"]).content.decode()
    assert "未写入任何数据" in body
    for row, column, message in EXPECTED_BAD:
        assert f'<td class="num">{row}</td><td>{column}</td><td class="error">{message}</td>' in body

    f = client.get(f"/jobs/{job.pk}/file/")
    assert f.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(f.streaming_content)))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["原行号", *STUDENT_HEADER, "错误说明"]
    assert [r[0] for r in rows[1:]] == [e[0] for e in EXPECTED_BAD]
    by_line = {r[0]: r for r in rows[1:]}
    for row, column, message in EXPECTED_BAD:
        assert f"{column}：{message}" in by_line[row][-1]
        # the offending cell is marked red
        cell = ws.cell(row=[r[0] for r in rows].index(row) + 1, column=STUDENT_HEADER.index(column) + 2)
        assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    # the rows are the ones that were sent, so the user fixes them in place
    assert by_line[8][1:9] == tuple(c or None for c in sent[6])


def test_a_missing_header_fails_the_job_with_a_clear_message(client, county_admin, upload):
    client.force_login(county_admin)
    header = [h for h in STUDENT_HEADER if h not in ("学籍号", "姓名")]
    r = upload(csv_bytes(header, [r[2:] for r in three_students()]))
    body = client.get(r["Location"]).content.decode()
    assert "文件缺少必填列：学籍号、姓名（请使用下载的模板）" in body
    assert Job.objects.get().status == "failed"


def test_a_wrong_file_type_is_refused_on_the_form(client, county_admin, upload):
    client.force_login(county_admin)
    r = upload(b"hello", "学生名册.txt")
    assert r.status_code == 400
    assert "仅支持 xlsx 或 csv 文件" in r.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("url", ["/imports/students/", "/imports/students/template/", "/imports/nothing/"])
def test_a_user_without_the_import_permission_gets_404(client, tree, url):
    teacher = make_user("teacher", "teacher", tree.school)
    client.force_login(teacher)
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 404
    assert not Job.objects.exists()


def test_an_academic_may_not_import_staff(client, tree):
    client.force_login(make_user("academic", "academic", tree.school))
    assert client.get("/imports/staff/").status_code == 404


def test_pages_need_login(client, db):
    r = client.get("/imports/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_staff_upload(client, county_admin, upload):
    from mofang.platform.people.models import Staff

    from .conftest import STAFF_HEADER, staff_row

    client.force_login(county_admin)
    r = upload(
        csv_bytes(STAFF_HEADER, [staff_row("T001"), staff_row("T002", "徐建国", sex="男")]), "教职工.csv", code="staff"
    )
    assert r.status_code == 302
    assert Staff.objects.count() == 2


def test_annotated_workbook_keeps_its_old_signature():
    from mofang.platform.imports.services import annotated_workbook

    content = annotated_workbook(["学籍号", "姓名"], [(3, ["G1", ""])], {3: ["姓名：姓名不能为空", "与第2行重复"]})
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[2]] == [3, "G1", None, "姓名：姓名不能为空；与第2行重复"]
    assert ws.cell(row=2, column=3).fill.fgColor.rgb.endswith("FFC7CE")
    assert not ws.cell(row=2, column=2).fill.fgColor.rgb.endswith("FFC7CE")


def test_a_failed_job_keeps_its_progress_and_its_error_file(client, county_admin, upload):
    client.force_login(county_admin)
    upload(csv_bytes(STUDENT_HEADER, bad_file_rows()))
    job = Job.objects.get()
    assert job.result_file.name.endswith(f"errors-{job.pk}.xlsx")
    assert (job.done, job.total) == (7, 7)
    assert job.message == "导入未完成：6处错误，未写入任何数据"


def test_the_uploaded_file_is_deleted_once_the_job_has_answered_and_a_retry_says_so(
    client, county_admin, upload, media, django_capture_on_commit_callbacks
):
    """The upload (names, ID numbers) is stored by name, read by the job through the storage and
    deleted once the file has given its answer; a retry after that refuses in Chinese."""
    from mofang.platform.jobs.services import retry_job

    client.force_login(county_admin)
    upload(csv_bytes(STUDENT_HEADER, three_students()))
    upload(csv_bytes(STUDENT_HEADER, bad_file_rows()))
    good, bad = Job.objects.order_by("pk")
    assert good.status == "succeeded" and bad.status == "failed"
    assert good.params["file"].startswith("imports/") and not good.params["file"].startswith("/")
    assert not (media / "imports").exists() or list((media / "imports").iterdir()) == []
    workbook = media / bad.result_file.name
    assert workbook.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        retry_job(bad, acting_user=county_admin)
    bad.refresh_from_db()
    assert (
        bad.status == "failed"
        and bad.result["errors"][0]["message"] == "上传的文件已不在存储中，未写入任何数据，请重新上传"
    )
    assert not workbook.exists()  # the last run's error workbook went with the retry


def test_an_error_file_gone_from_the_store_is_a_404_not_a_500(client, county_admin, upload, media):
    client.force_login(county_admin)
    upload(csv_bytes(STUDENT_HEADER, bad_file_rows()))
    job = Job.objects.get()
    (media / job.result_file.name).unlink()
    r = client.get(f"/jobs/{job.pk}/file/")
    assert r.status_code == 404
