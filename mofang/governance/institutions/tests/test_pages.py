"""The pages as a user meets them: lists, detail, forms with Chinese errors (HTTP 400, nothing
written), a department's queue, and the Excel import reporting every bad row."""

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file

from .. import services, uscc
from ..models import Category, Institution, Status


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_list_searches_filters_counts_and_exports(world, register):
    register("常山县启明科技培训中心", Category.TECH)
    register("常山县飞扬篮球俱乐部", Category.SPORTS)
    c = _client(world.admin)
    body = c.get("/institutions/?q=篮球").content.decode()
    assert "飞扬篮球" in body and "启明科技" not in body
    assert 'class="total-count">1<' in c.get("/institutions/?category=tech").content.decode()
    r = c.get("/institutions/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "机构名称" and len(rows) == 3


def test_the_detail_page_shows_sites_teachers_and_forms(world, approved):
    inst = approved()
    services.add_site(inst, acting_user=world.admin, address="定阳路8号二楼", area="320.5")
    services.add_teacher(inst, acting_user=world.admin, name="陈静", subject="美术", certificate_no="20193300000000001")
    body = _client(world.admin).get(f"/institutions/{inst.pk}/").content.decode()
    for text in ("定阳路8号二楼", "320.5", "陈静", "20193300000000001", "变更状态", "登记收费", "正常"):
        assert text in body


def test_registering_with_a_wrong_check_character_is_refused(world):
    good = uscc.make_credit_code("52", "330822", "AB000001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    r = _client(world.admin).post(
        "/institutions/new/", {"name": "新机构", "credit_code": bad, "category": "arts", "region": world.county.pk}
    )
    assert r.status_code == 400 and "统一社会信用代码：校验码错误" in r.content.decode()
    assert not Institution.objects.exists()
    r = _client(world.admin).post(
        "/institutions/new/", {"name": "新机构", "credit_code": good, "category": "arts", "region": world.county.pk}
    )
    assert r.status_code == 302
    assert Institution.objects.get().status == Status.PREPARING


def test_bad_site_and_teacher_input_name_the_field(world, approved):
    inst = approved()
    c = _client(world.admin)
    r = c.post(f"/institutions/{inst.pk}/sites/", {"address": "某地", "area": "-3"})
    assert r.status_code == 400 and "面积" in r.content.decode()
    r = c.post(f"/institutions/{inst.pk}/teachers/", {"name": "陈静", "subject": "美术", "certificate_no": "123"})
    assert r.status_code == 400 and "教师资格证号：应为17位数字" in r.content.decode()
    assert not inst.sites.exists() and not inst.teachers.exists()


def test_a_department_sees_and_decides_only_what_was_routed_to_it(world, register):
    tech_app = services.submit_application(register("科技类机构", Category.TECH), acting_user=world.admin)
    arts_app = services.submit_application(register("艺术类机构", Category.ARTS), acting_user=world.admin)
    c = _client(world.keji)
    body = c.get("/institutions/applications/").content.decode()
    assert "科技类机构" in body and "艺术类机构" not in body
    assert c.get(f"/institutions/applications/{arts_app.pk}/").status_code == 404
    assert c.post(f"/institutions/applications/{arts_app.pk}/decide/", {"decision": "approve"}).status_code == 404
    r = c.post(f"/institutions/applications/{tech_app.pk}/decide/", {"decision": "refuse", "reason": ""})
    assert r.status_code == 400 and "须填写理由" in r.content.decode()
    r = c.post(f"/institutions/applications/{tech_app.pk}/decide/", {"decision": "approve", "reason": "符合要求"})
    assert r.status_code == 302
    inst = Institution.objects.get(name="科技类机构")
    assert inst.status == Status.NORMAL and inst.approving_department == world.tech
    # the department has no registry of its own
    assert c.get("/institutions/").status_code == 404


def test_the_routing_page_edits_the_table(world):
    c = _client(world.admin)
    assert c.get("/institutions/routes/").status_code == 302
    r = c.post(f"/institutions/routes/{world.county.pk}/", {"category": "subject", "department": world.tech.pk})
    assert r.status_code == 400
    r = c.post(f"/institutions/routes/{world.county.pk}/", {"category": "other", "department": world.sports.pk})
    assert r.status_code == 302
    assert "常山县体育局" in c.get(f"/institutions/routes/{world.county.pk}/").content.decode()


def test_flagged_charges_are_listed(world, approved):
    inst = approved()

    services.record_charge(
        inst,
        acting_user=world.admin,
        student_name="王小雨",
        amount="9600",
        lessons=96,
        months=12,
        paid_on=timezone.localdate(),
    )
    services.record_charge(
        inst,
        acting_user=world.admin,
        student_name="李明",
        amount="2400",
        lessons=60,
        months=3,
        paid_on=timezone.localdate(),
    )
    body = _client(world.admin).get("/institutions/fees/flagged/").content.decode()
    assert "王小雨" in body and "李明" not in body and "预收12个月，超过3个月" in body


def test_the_public_pages_need_no_login(world):
    for url in ("/institutions/public/report/", "/institutions/public/query/", "/institutions/public/lists/"):
        assert Client().get(url).status_code == 200


def test_bad_dates_and_numbers_never_give_a_500(world, approved):
    inst = approved()
    c = _client(world.admin)
    assert (
        c.post(
            f"/institutions/{inst.pk}/inspect/", {"kind": "covert", "date": "2026-13-40", "inspectors": "甲"}
        ).status_code
        == 400
    )
    assert (
        c.post(
            f"/institutions/{inst.pk}/fees/charges/",
            {"student_name": "甲", "amount": "1e999", "lessons": "x", "months": "3", "paid_on": "2026-01-01"},
        ).status_code
        == 400
    )
    assert (
        c.post(f"/institutions/fees/limits/{world.county.pk}/", {"max_months": "0", "max_lessons": "60"}).status_code
        == 400
    )
    assert c.post("/institutions/lists/new/", {"institution": "abc", "kind": "x"}).status_code == 400
    assert c.post(f"/institutions/{inst.pk}/status/", {"status": "normal", "reason": "x"}).status_code == 400


@pytest.fixture
def run(tmp_path):
    def run(rows, user, org):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(
            ["统一社会信用代码", "机构名称", "类别", "属地区县代码", "办学许可证号", "地址", "法定代表人", "联系电话"]
        )
        w.writerows(rows)
        path = tmp_path / "institutions.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        return import_file(IMPORTERS["institutions"], str(path), path.name, ImportContext(user=user, org=org))

    return run


def test_the_import_reports_every_bad_row_and_writes_nothing(world, run):
    good = uscc.make_credit_code("52", "330822", "LM000001")
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    result = run(
        [
            [good, "常山县好机构", "科技", "330822", "", "", "", ""],
            [bad_check, "校验码错", "体育", "330822", "", "", "", ""],
            [uscc.make_credit_code("52", "330822", "LM000002"), "类别错", "星象", "330822", "", "", "", ""],
            [uscc.make_credit_code("52", "330881", "LM000003"), "越界", "体育", "330881", "", "", "", ""],
        ],
        world.admin,
        world.county,
    )
    columns = {(e["row"], e["column"]) for e in result["errors"]}
    assert (3, "统一社会信用代码") in columns and (4, "类别") in columns and (5, "属地区县代码") in columns
    assert not Institution.objects.exists()


def test_the_import_creates_then_updates_by_credit_code(world, run):
    code = uscc.make_credit_code("52", "330822", "LM000009")
    first = run([[code, "常山县好机构", "科技", "330822", "", "定阳路1号", "", ""]], world.admin, world.county)
    assert first["error_count"] == 0 and (first["created"], first["updated"]) == (1, 0)
    again = run([[code, "常山县好机构（更名）", "科技", "330822", "", "", "", ""]], world.admin, world.county)
    assert (again["created"], again["updated"]) == (0, 1)
    assert Institution.objects.get().name == "常山县好机构（更名）"
