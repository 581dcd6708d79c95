"""The screening import: every bad row reported by row and column, nothing written if any row is
bad; unknown and out-of-scope 学籍号 read alike; a good file writes and classifies."""

import pytest

from mofang.governance.vision.models import Screening, Status

from .conftest import lines, row, run_import, sheet

pytestmark = pytest.mark.django_db


def test_a_good_file_writes_and_classifies(cls):
    k = cls.kids
    result = run_import(
        sheet(
            [
                row(k[0], "4.8", "4.9", "-1.00", "-0.50", "180", "-0.75", "", ""),
                row(k[1], "5.0", "5.1"),
                row(k[2], "4.7", "4.8"),
                row(k[3], "5.0", "5.0", glasses="OK镜"),
            ]
        ),
        cls.principal,
        cls.tree.school,
    )
    assert result["error_count"] == 0, lines(result)
    assert result["created"] == 4
    got = {s.student_id: (s.status, s.degree) for s in Screening.objects.all()}
    assert got[k[0].pk] == (Status.MYOPIA, "low")
    assert got[k[1].pk] == (Status.NORMAL, "")
    assert got[k[2].pk] == (Status.POOR, "")
    assert got[k[3].pk] == (Status.MYOPIA, "")
    s = Screening.objects.get(student=k[0])
    assert (s.school_year, s.term, s.klass_id, s.grade) == (2026, 1, cls.tree.klass.pk, k[0].grade)


def test_every_bad_row_is_reported_and_nothing_written(cls):
    k = cls.kids
    result = run_import(
        sheet(
            [
                row(k[0], "5.4", "4.9"),  # acuity out of range
                row(k[1], "4.85", "4.9"),  # not a 0.1 step
                row(k[2], "4.8", "4.9", "-1.00", "-0.50", "190"),  # axis
                row(cls.outsider, "4.8", "4.9"),  # another county's pupil
                ["G999999999999", "4.8", "4.9", "", "", "", "", "", "", "", "2026-10-15"],  # unknown
                row(k[3], "4.8", "4.9"),
                row(k[3], "4.7", "4.9", day="2026-11-02"),  # same pupil, same round
                row(k[4], "4.8", "4.9", glasses="墨镜"),
                row(k[5], "4.8", "4.9", rc="-0.50"),  # cylinder without sphere
            ]
        ),
        cls.principal,
        cls.tree.school,
    )
    got = lines(result)
    assert result["created"] == 0 and Screening.objects.count() == 0
    assert "第2行“右眼裸眼视力”：右眼裸眼视力：视力应在4.0～5.3之间（五分记录）" in got
    assert any(line.startswith("第3行“右眼裸眼视力”") and "0.1" in line for line in got)
    assert any(line.startswith("第4行“右眼轴位”") and "0～180" in line for line in got)
    # out of scope and unknown read the same
    assert "第5行“学籍号”：学籍号不存在或不在您的数据范围内" in got
    assert "第6行“学籍号”：学籍号不存在或不在您的数据范围内" in got
    assert any(line.startswith("第8行“学籍号+筛查学期”") or ("第8行" in line and "第7行" in line) for line in got)
    assert any(line.startswith("第9行“戴镜情况”") for line in got)
    assert any(line.startswith("第10行“右眼球镜”") for line in got)
    assert result["bad_rows"] == 8


def test_another_school_cannot_import_this_school_pupils(cls, tree):
    result = run_import(sheet([row(cls.kids[0], "4.8", "4.9")]), cls.other_principal, tree.other_school)
    assert lines(result) == ["第2行“学籍号”：学籍号不存在或不在您的数据范围内"]
    assert Screening.objects.count() == 0


def test_reimport_of_the_same_round_updates(cls):
    k = cls.kids
    assert run_import(sheet([row(k[1], "5.0", "5.0")]), cls.principal, cls.tree.school)["created"] == 1
    again = run_import(sheet([row(k[1], "4.6", "4.9", "-2.00")]), cls.principal, cls.tree.school)
    assert (again["created"], again["updated"]) == (0, 1)
    assert Screening.objects.get(student=k[1]).status == Status.MYOPIA


def test_the_import_page_template_and_upload(cls, django_capture_on_commit_callbacks):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from openpyxl import load_workbook

    c = Client()
    c.force_login(cls.head)  # a 班主任 enters the class on the form: 数据导入 is the school office's
    assert c.get("/imports/vision_screenings/template/").status_code == 404
    c.force_login(cls.principal)
    assert "视力筛查结果" in c.get("/imports/").content.decode()
    book = load_workbook(io.BytesIO(c.get("/imports/vision_screenings/template/").content))
    header = [cell.value for cell in next(book.active.iter_rows(max_row=1))]
    assert header[:3] == ["学籍号", "右眼裸眼视力", "左眼裸眼视力"] and "筛查日期" in header
    upload = SimpleUploadedFile("视力.xlsx", sheet([row(cls.kids[0], "4.8", "4.9", "-1.00")]))
    with django_capture_on_commit_callbacks(execute=True):  # the job runs after commit
        r = c.post("/imports/vision_screenings/", {"file": upload})
    assert r.status_code == 302
    assert Screening.objects.filter(student=cls.kids[0], status=Status.MYOPIA).exists()
    # the letter of the import: the child was newly screened as myopic
    from mofang.platform.notifications.models import InboxMessage

    assert InboxMessage.objects.filter(recipient=cls.parent, title="学生0视力筛查告家长书").count() == 1
    # a parent has no import page
    c.force_login(cls.parent)
    assert c.get("/imports/vision_screenings/template/").status_code == 404
