"""一网通办's pages as users meet them: the parent applies and follows on the phone, the desk lists
what waits for the unit, the certificate PDF and the public verification page, the catalogue import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mofang.platform.cases import services as cases
from mofang.platform.imports.exports import xlsx_bytes
from mofang.platform.testing import make_student, make_user

from ..models import Application, Certificate, Service
from ..testing import apply_for, parent_of, service

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def w(tree):
    parent, child = parent_of(tree.school, "乙", child_name="张小红")
    service("transfer")
    return {"tree": tree, "parent": parent, "child": child, "head": make_user("os_pg_head", "academic", tree.school)}


def test_the_parent_applies_for_a_transfer_on_the_phone(w):
    c = _client(w["parent"])
    page = c.get("/online_services/mine/").content.decode()
    assert "可申请的事项" in page and "义务教育阶段学生转学" in page
    page = c.get("/online_services/apply/transfer/?school_q=江山").content.decode()
    assert "江山市实验小学" in page
    r = c.post(
        "/online_services/apply/transfer/",
        {"student": w["child"].pk, "target_school": w["tree"].other_school.pk, "转学原因": "随迁"},
    )
    assert r.status_code == 302
    app = Application.objects.get()
    page = c.get(r["Location"]).content.decode()
    assert "待转出学校受理" in page and app.case.number in page


def test_bad_input_is_refused_with_the_field_named_and_nothing_written(w):
    c = _client(w["parent"])
    r = c.post("/online_services/apply/transfer/", {"student": w["child"].pk, "转学原因": "随迁"})
    assert r.status_code == 400 and "转入学校：请选择转入学校" in r.content.decode()
    stranger = make_student(w["tree"].school, "陌生")
    r = c.post("/online_services/apply/suspend/", {"student": stranger.pk, "休学原因": "疾病"})
    assert r.status_code == 400 and "学生：请选择孩子" in r.content.decode()
    r = c.post(
        "/online_services/apply/suspend/",
        {"student": w["child"].pk, "休学原因": "疾病", "material_0": SimpleUploadedFile("x.pdf", b"GIF89a")},
    )
    assert r.status_code == 400 and "只能是PDF、JPG或PNG" in r.content.decode()
    assert not Application.objects.exists()
    assert c.get("/online_services/apply/nothing/").status_code == 404


def test_the_desk_lists_what_waits_for_the_unit_and_the_parent_sees_only_their_own(w):
    app = apply_for("roll_certificate", w["parent"], w["child"])
    other_parent, other_child = parent_of(w["tree"].school, "丙")
    apply_for("roll_certificate", other_parent, other_child)
    page = _client(w["head"]).get("/online_services/desk/?queue=mine").content.decode()
    assert app.case.number in page and "学生丙" in page
    mine = _client(w["parent"]).get("/online_services/mine/").content.decode()
    assert app.case.number in mine and "学生丙" not in mine
    outsider = make_user("os_pg_out", "academic", w["tree"].other_school)
    assert app.case.number not in _client(outsider).get("/online_services/desk/").content.decode()
    assert _client(outsider).get(f"/online_services/mine/{app.pk}/").status_code == 404


def test_the_certificate_downloads_as_pdf_and_verifies_publicly(w):
    app = apply_for("roll_certificate", w["parent"], w["child"])
    for t in ("accept", "approve"):
        cases.fire(app.case, t, acting_user=w["head"])
        app.case.refresh_from_db()
    cert = Certificate.objects.get()
    c = _client(w["parent"])
    r = c.get(f"/online_services/certificates/{cert.pk}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert (
        _client(make_user("os_pg_o", "parent", w["tree"].school))
        .get(f"/online_services/certificates/{cert.pk}.pdf")
        .status_code
        == 404
    )
    anon = Client()
    page = anon.get(f"/online_services/verify/?code={cert.code}").content.decode()
    assert "证明有效" in page and "张**" in page and "常山县第一小学" in page and "张小红" not in page
    r = anon.get("/online_services/verify/?code=ABCDE-FGHJK-LMNPQ-RSTUV")
    assert r.status_code == 404 and "该证明无效" in r.content.decode()


def test_the_catalogue_imports_as_data_and_every_bad_row_is_reported(tree, tmp_path):
    from mofang.platform.imports.base import IMPORTERS, ImportContext
    from mofang.platform.imports.services import import_file

    admin = make_user("os_pg_city", "city_admin", tree.city)
    imp = IMPORTERS["online_services"]
    headers = [c.header for c in imp.columns]
    good = [
        "nb_021",
        "中小学生学籍信息变更",
        "一般事项",
        "家长、学生",
        "就读学校",
        "户籍证明:pdf/jpg:5:必填",
        "变更事项|文本|必填",
        "5",
        "学校核实后办理。",
    ]
    bad = ["nb 022", "", "外星流程", "路人", "学校", "证明:exe:50", "x|奇怪", "0", ""]

    def run(rows):
        path = tmp_path / "目录.xlsx"
        path.write_bytes(xlsx_bytes("事项", headers, rows))
        return import_file(imp, str(path), path.name, ImportContext(user=admin, org=tree.city))

    result = run([good, bad])
    assert result["error_count"] >= 6, result
    assert not Service.objects.filter(code="nb_021").exists()
    result = run([good])
    assert (result["created"], result["updated"]) == (1, 0)
    svc = Service.objects.get(code="nb_021")
    assert svc.materials == [{"name": "户籍证明", "types": ["pdf", "jpg"], "max_mb": 5, "required": True}]
    assert svc.time_limit_days == 5 and svc.applicants == ["parent", "student"]
    assert (run([good])["created"], run([good])["updated"]) == (0, 1)


def test_the_catalogue_page_shows_each_services_rules(tree):
    service("transfer")
    for who in (
        make_user("os_pg_cat_cty", "county_admin", tree.county),
        make_user("os_pg_cat_sch", "principal", tree.school),
    ):
        page = _client(who).get("/online_services/catalogue/").content.decode()
        assert "义务教育阶段学生转学" in page and "转学理由证明" in page and "10" in page
    assert (
        _client(make_user("os_pg_cat_t", "teacher", tree.school)).get("/online_services/catalogue/").status_code == 404
    )
