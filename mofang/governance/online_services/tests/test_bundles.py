"""一件事 (bundles): one form and one set of materials create the member applications, in order
where one depends on another (the new school's 学籍证明 only after the transfer is 办结), each its
own case at its own unit; what the platform holds is filled in, not asked; bad input is refused
naming the field, with nothing written; bundles are data and import like the catalogue."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case, CaseAttachment
from mofang.platform.imports.exports import xlsx_bytes
from mofang.platform.people import roll
from mofang.platform.people.models import RollStatus
from mofang.platform.testing import make_student, make_user

from .. import bundles
from ..models import Application, Bundle, BundleApplication, BundleStep, Certificate, Result, StepState
from ..testing import apply_bundle_for, apply_for, bundle, parent_of, second_school

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 bundle material"


@pytest.fixture
def w(tree):
    parent, child = parent_of(tree.school, "丙", child_name="赵小川")
    return {
        "tree": tree,
        "parent": parent,
        "child": child,
        "target": second_school(tree.county, "常山县第二小学", "3308220002"),
        "school": make_user("os_bd_sch", "academic", tree.school),
        "new_school": None,
    }


def _go(app, user, *transitions):
    for t in transitions:
        cases.fire(Case.objects.get(pk=app.case_id), t, acting_user=user)
    app.refresh_from_db()
    return app


def _steps(ba):
    return list(BundleStep.objects.filter(bundle_application=ba).order_by("position"))


def _material():
    return {"material_0": SimpleUploadedFile("户籍.pdf", PDF)}


def test_the_seed_bundles_are_in_the_catalogue_as_data():
    b = Bundle.objects.get(code="transfer_bundle")  # migration 0005
    assert b.name == "转学一件事" and [s["service"] for s in b.steps] == ["transfer", "roll_certificate"]
    assert bundles.steps_text(b.steps) == "transfer；roll_certificate:transfer:用途=转学"
    assert bundles.parse_steps(bundles.steps_text(b.steps)) == b.steps
    assert Bundle.objects.filter(code="resume_bundle").exists()


def test_the_certificate_starts_only_after_the_transfer_is_done_and_at_the_new_school(w):
    ba = apply_bundle_for("transfer_bundle", w["parent"], w["child"], target_school=w["target"], files=_material())
    first, second = _steps(ba)
    assert ba.number.startswith("YJ") and first.state == StepState.STARTED and second.state == StepState.WAITING
    assert second.application is None and Application.objects.count() == 1  # one case only
    transfer = first.application
    assert (
        transfer.case.responsible_org == w["tree"].school
        and transfer.case.case_type == "online_services.transfer_local"
    )
    assert transfer.answers["转学原因"] == "随迁" and "身份证明" in transfer.answers["平台已有材料"]
    assert CaseAttachment.objects.filter(case=transfer.case).count() == 1  # the material given once
    # the sending school agrees; the certificate still waits
    _go(transfer, w["school"], "accept", "agree_out")
    second.refresh_from_db()
    assert second.state == StepState.WAITING
    # the receiving school takes the child in: the transfer is 办结 and the certificate is applied for
    new_school = make_user("os_bd_new", "academic", w["target"])
    _go(transfer, new_school, "receive")
    assert transfer.result == Result.DONE
    second.refresh_from_db()
    cert_app = second.application
    assert second.state == StepState.STARTED and cert_app is not None
    assert cert_app.school == w["target"] and cert_app.case.responsible_org == w["target"]  # the new school's
    assert cert_app.answers["用途"] == "转学" and cert_app.applicant == w["parent"]
    _go(cert_app, new_school, "accept", "approve")
    cert = Certificate.objects.get(application=cert_app)
    assert cert.school_name == "常山县第二小学"
    steps = _steps(ba)
    apps = {a.pk: a for a in Application.objects.select_related("case")}
    assert bundles.overall(steps, apps) == "已办结"
    assert [bundles.step_label(s, apps) for s in steps] == ["已办结", "已办结"]


def test_a_returned_step_stops_the_steps_waiting_for_it(w):
    ba = apply_bundle_for("transfer_bundle", w["parent"], w["child"], target_school=w["target"])
    first, _ = _steps(ba)
    cases.fire(first.application.case, "return", acting_user=w["school"], comment="材料不全")
    first, second = _steps(ba)
    assert second.state == StepState.CANCELLED and "不再办理" in second.note and second.application is None
    apps = {a.pk: a for a in Application.objects.select_related("case")}
    assert bundles.overall(_steps(ba), apps) == "已退回"


def test_a_step_that_can_no_longer_start_says_why_and_the_first_stays_done(w):
    from ..models import Service

    roll.suspend(w["child"], acting_user=w["school"], reason="测试")
    w["child"].refresh_from_db()
    ba = apply_bundle_for("resume_bundle", w["parent"], w["child"])
    first, second = _steps(ba)
    Service.objects.filter(code="study_certificate").update(active=False)  # closed meanwhile
    _go(first.application, w["school"], "accept", "approve")
    w["child"].refresh_from_db()
    assert w["child"].status == RollStatus.ENROLLED and first.application.result == Result.DONE
    second.refresh_from_db()
    assert second.state == StepState.FAILED and "暂未开通网上办理" in second.note and second.application is None
    apps = {a.pk: a for a in Application.objects.select_related("case")}
    assert bundles.overall(_steps(ba), apps) == "部分未能办理"


def test_the_resume_bundle_asks_the_certificates_purpose_and_starts_it_after_the_resume(w):
    roll.suspend(w["child"], acting_user=w["school"], reason="测试")
    w["child"].refresh_from_db()
    ba = apply_bundle_for("resume_bundle", w["parent"], w["child"], answers={"用途": "补贴申请", "说明": "已康复"})
    first, second = _steps(ba)
    assert first.answers == {"说明": "已康复"} and second.answers == {"用途": "补贴申请"}
    _go(first.application, w["school"], "accept", "approve")
    second.refresh_from_db()
    assert second.state == StepState.STARTED and second.application.answers["用途"] == "补贴申请"


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"answers": {"转学原因": "想转"}}, "转学原因", "转学原因：只能是"),
        ({"answers": {"说明": "x"}}, "转学原因", "转学原因：请填写"),
        ({"target_school": "same"}, "target_school", "不能转入孩子现在就读的学校"),
        ({"target_school": None}, "target_school", "请选择转入学校"),
        ({"files": {"material_0": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")}}, "material_0", ""),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(w, change, field, words):
    kw = {"target_school": w["target"], "answers": {"转学原因": "随迁"}}
    kw.update(change)
    if kw["target_school"] == "same":
        kw["target_school"] = w["tree"].school
    with pytest.raises(ValidationError) as e:
        bundles.apply_bundle(bundle("transfer_bundle"), w["child"], acting_user=w["parent"], **kw)
    assert field in e.value.message_dict and words in str(e.value)
    assert not BundleApplication.objects.exists() and not Application.objects.exists() and not Case.objects.exists()


def test_only_ones_own_child_and_not_twice(w):
    stranger = make_student(w["tree"].school, "路人甲")
    with pytest.raises(ValidationError) as e:
        apply_bundle_for("transfer_bundle", w["parent"], stranger, target_school=w["target"])
    assert "student" in e.value.message_dict
    apply_for("transfer", w["parent"], w["child"], target_school=w["target"])
    with pytest.raises(ValidationError) as e:
        apply_bundle_for("transfer_bundle", w["parent"], w["child"], target_school=w["target"])
    assert "一件事：赵小川已有一件义务教育阶段学生转学申请在办理中" in e.value.message_dict["bundle"]
    with pytest.raises(ValidationError) as e:  # 复学 needs a suspended child
        apply_bundle_for("resume_bundle", w["parent"], w["child"])
    assert "student" in e.value.message_dict
    assert not BundleApplication.objects.exists()


@pytest.mark.parametrize(
    "text, words",
    [
        ("transfer", "包含事项应为2至6个"),
        ("transfer；nothing", "没有编码为“nothing”的事项"),
        ("roll_certificate:transfer；transfer", "前置事项“transfer”应是排在它前面的事项"),
        ("transfer；roll_certificate:transfer:用途=逃学", "用途：只能是"),
        ("transfer；roll_certificate:transfer:颜色=红", "没有字段“颜色”"),
        ("roll_certificate；study_certificate", "“用途”在两个事项的申请表中规则不同"),
        ("transfer；transfer", "重复"),
    ],
)
def test_bad_steps_are_refused(text, words):
    bundle("transfer_bundle")
    with pytest.raises(ValidationError) as e:
        bundles.parse_steps(text)
    assert words in str(e.value)


def test_bundles_import_as_data_and_every_bad_row_is_reported(tree, tmp_path):
    from mofang.platform.imports.base import IMPORTERS, ImportContext
    from mofang.platform.imports.services import import_file

    bundle("transfer_bundle")
    admin = make_user("os_bd_city", "city_admin", tree.city)
    imp = IMPORTERS["online_services_bundles"]
    headers = [c.header for c in imp.columns]
    good = [
        "cert_bundle",
        "证明一件事",
        "roll_certificate:用途=升学；study_certificate:roll_certificate",
        "身份证明",
        "说明",
    ]
    good[2] = "roll_certificate::用途=升学；study_certificate:roll_certificate"
    bad = ["坏 编码", "", "transfer", "指纹", ""]

    def run(rows):
        path = tmp_path / "一件事.xlsx"
        path.write_bytes(xlsx_bytes("一件事", headers, rows))
        return import_file(imp, str(path), path.name, ImportContext(user=admin, org=tree.city))

    result = run([good, bad])
    assert result["error_count"] >= 4, result
    assert not Bundle.objects.filter(code="cert_bundle").exists()
    assert run([good])["created"] == 1
    b = Bundle.objects.get(code="cert_bundle")
    assert b.steps == [
        {"service": "roll_certificate", "answers": {"用途": "升学"}},
        {"service": "study_certificate", "after": "roll_certificate"},
    ]
    assert b.held == ["身份证明"]


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_phone_pages_one_form_held_facts_filled_and_field_named_400(w):
    w["child"].set_id_number("330822201501011234")
    w["child"].save()
    c = _client(w["parent"])
    page = c.get("/online_services/mine/").content.decode()
    assert "转学一件事" in page and "/online_services/bundles/apply/transfer_bundle/" in page
    page = c.get("/online_services/bundles/apply/transfer_bundle/?school_q=第二").content.decode()
    assert "平台已有，无需提交" in page and "赵小川" in page and "父亲" in page and "1234" in page
    assert "用途" not in page  # filled in by the bundle
    assert "常山县第二小学" in page
    r = c.post("/online_services/bundles/apply/transfer_bundle/", {"student": w["child"].pk, "转学原因": "随迁"})
    assert r.status_code == 400 and "转入学校：请选择转入学校" in r.content.decode()
    r = c.post(
        "/online_services/bundles/apply/transfer_bundle/",
        {"student": w["child"].pk, "target_school": w["target"].pk, "转学原因": "外星"},
    )
    assert r.status_code == 400 and "转学原因：只能是" in r.content.decode()
    r = c.post(
        "/online_services/bundles/apply/transfer_bundle/",
        {"student": w["child"].pk, "target_school": w["target"].pk, "转学原因": "随迁"},
    )
    assert r.status_code == 302
    ba = BundleApplication.objects.get()
    page = c.get(r["Location"]).content.decode()
    assert "办理中（已办结0项，共2项）" in page and "待转出学校受理" in page and "等待前一事项办结" in page
    assert c.get("/online_services/mine/").content.decode().count(ba.number) == 1
    # the school sees the bundle from its desk; another parent does not
    head = w["school"]
    page = _client(head).get(f"/online_services/desk/{ba.steps.get(position=1).application_id}/").content.decode()
    assert "转学一件事" in page and ba.number in page
    other, _ = parent_of(w["tree"].school, "丁")
    assert _client(other).get(f"/online_services/bundles/{ba.pk}/").status_code == 404
    assert c.get("/online_services/bundles/apply/nothing/").status_code == 404
