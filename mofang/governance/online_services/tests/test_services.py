"""一网通办 end to end through the service functions and the case engine: the catalogue's rules,
guardianship, the transfer's four units in turn, the roll's history, 休学/复学, certificates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.people.models import RollEvent, RollStatus
from mofang.platform.testing import make_student, make_user
from mofang.platform.workdays.services import add_working_days

from .. import services
from ..models import Application, Certificate, Result
from ..testing import apply_for, bind, parent_of, second_school, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(tree):
    parent, child = parent_of(tree.school, "甲", child_name="王小明")
    return {
        "tree": tree,
        "parent": parent,
        "child": child,
        "school_head": make_user("os_sch", "academic", tree.school),
        "county": make_user("os_cty", "county_admin", tree.county),
        "other_county": make_user("os_octy", "county_admin", tree.other_county),
        "other_school": make_user("os_osch", "academic", tree.other_school),
    }


def _go(case, user, *transitions):
    for t in transitions:
        case = cases.fire(Case.objects.get(pk=case.pk), t, acting_user=user)
    return case


def test_a_parent_applies_only_for_their_own_child(w):
    stranger = make_student(w["tree"].school, "李四")
    with pytest.raises(ValidationError) as e:
        apply_for("suspend", w["parent"], stranger)
    assert "只能为自己的孩子申请" in str(e.value)
    assert not Application.objects.exists() and not Case.objects.exists()


def test_the_form_and_materials_are_checked_by_field(w):
    svc = service("suspend")
    with pytest.raises(ValidationError) as e:
        services.apply(svc, w["child"], acting_user=w["parent"], answers={"休学原因": "旅游"})
    assert "休学原因：只能是疾病、出国、其他" in str(e.value)
    too_big = SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as e:
        services.apply(
            svc, w["child"], acting_user=w["parent"], answers={"休学原因": "疾病"}, files={"material_0": too_big}
        )
    assert "不能超过5MB" in str(e.value)
    exe = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as e:
        services.apply(
            svc, w["child"], acting_user=w["parent"], answers={"休学原因": "疾病"}, files={"material_0": exe}
        )
    assert "只能是PDF、JPG或PNG" in str(e.value)
    assert not Case.objects.exists()
    ok = SimpleUploadedFile("病历.pdf", b"%PDF-1.4 fine")
    app = services.apply(
        svc, w["child"], acting_user=w["parent"], answers={"休学原因": "疾病"}, files={"material_0": ok}
    )
    assert app.case.attachments.get().original_name == "病历.pdf"


def test_the_legal_time_limit_is_counted_in_working_days(w):
    app = apply_for("suspend", w["parent"], w["child"])
    expected = add_working_days(timezone.localdate(), 5, w["tree"].school)
    assert app.case.due_on == expected
    assert timezone.localtime(app.case.due_at).date() == expected


def test_one_open_application_per_service_and_child(w):
    apply_for("roll_certificate", w["parent"], w["child"])
    with pytest.raises(ValidationError) as e:
        apply_for("roll_certificate", w["parent"], w["child"])
    assert "已有一件学籍证明申请在办理中" in str(e.value)


def test_cross_county_transfer_goes_through_four_units_in_turn_and_changes_the_roll(w):
    t = w["tree"]
    app = apply_for("transfer", w["parent"], w["child"], target_school=t.other_school)
    case = app.case
    assert case.case_type == "online_services.transfer_cross" and case.responsible_org == t.school
    # the receiving county cannot act before its turn
    with pytest.raises(ValidationError):
        _go(case, w["other_county"], "accept")
    case = _go(case, w["school_head"], "accept", "agree_out")
    assert (case.state, case.responsible_org) == ("out_bureau", t.county)
    with pytest.raises(ValidationError):
        _go(case, w["other_school"], "bureau_out")
    case = _go(case, w["county"], "bureau_out")
    assert (case.state, case.responsible_org) == ("in_bureau", t.other_county)
    case = _go(case, w["other_county"], "bureau_in")
    assert (case.state, case.responsible_org) == ("in_school", t.other_school)
    child = w["child"]
    child.refresh_from_db()
    assert child.school == t.school and child.status == RollStatus.ENROLLED  # nothing moved yet
    case = _go(case, w["other_school"], "receive")
    child.refresh_from_db()
    assert (child.school, child.status) == (t.other_school, RollStatus.ENROLLED)
    kinds = list(RollEvent.objects.filter(student=child).order_by("pk").values_list("kind", "school__name"))
    assert kinds[-2:] == [("transfer_out", "常山县第一小学"), ("transfer_in", "江山市实验小学")]
    app.refresh_from_db()
    assert app.result == Result.DONE and "江山市实验小学" in app.result_text


def test_local_transfer_needs_the_two_schools_only(w):
    t = w["tree"]
    school2 = second_school(t.county)
    head2 = make_user("os_sch2", "academic", school2)
    app = apply_for("transfer", w["parent"], w["child"], target_school=school2)
    assert app.case.case_type == "online_services.transfer_local"
    case = _go(app.case, w["school_head"], "accept", "agree_out")
    assert case.responsible_org == school2
    _go(case, head2, "receive")
    w["child"].refresh_from_db()
    assert w["child"].school == school2


def test_a_returned_application_keeps_the_roll_and_tells_the_reason(w):
    app = apply_for("transfer", w["parent"], w["child"], target_school=w["tree"].other_school)
    cases.fire(app.case, "return", acting_user=w["school_head"], comment="材料不全，请补充户籍证明")
    app.refresh_from_db()
    assert app.result == Result.RETURNED and app.result_text == "材料不全，请补充户籍证明"
    w["child"].refresh_from_db()
    assert w["child"].school == w["tree"].school


def test_suspend_then_resume_through_the_roll(w):
    app = apply_for("suspend", w["parent"], w["child"])
    _go(app.case, w["school_head"], "accept", "approve")
    w["child"].refresh_from_db()
    assert w["child"].status == RollStatus.SUSPENDED
    app2 = apply_for("resume", w["parent"], w["child"])
    _go(app2.case, w["school_head"], "accept", "approve")
    w["child"].refresh_from_db()
    assert w["child"].status == RollStatus.ENROLLED
    kinds = list(RollEvent.objects.filter(student=w["child"]).order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["suspend", "resume"]


def test_resume_is_refused_for_a_child_in_school(w):
    with pytest.raises(ValidationError) as e:
        apply_for("resume", w["parent"], w["child"])
    assert "当前学籍状态为在读" in str(e.value)


def test_a_certificate_is_issued_with_an_unguessable_code_that_verifies(w):
    app = apply_for("roll_certificate", w["parent"], w["child"])
    _go(app.case, w["school_head"], "accept", "approve")
    cert = Certificate.objects.get(application=app)
    assert len(cert.code) == 23 and services.verify(cert.code) == cert
    assert services.verify(cert.code.lower().replace("-", "")) == cert
    assert services.verify("AAAAA-AAAAA-AAAAA-AAAAA") is None
    assert cert.masked_name == "王**" and cert.status_label == "在读"
    codes = {services.new_code() for _ in range(2000)}
    assert len(codes) == 2000


def test_overdue_applications_are_supervised_by_the_scan(w):
    from mofang.platform.cases import overdue

    app = apply_for("roll_certificate", w["parent"], w["child"])
    later = timezone.now() + dt.timedelta(days=30)
    overdue.scan(now=later)
    case = Case.objects.get(pk=app.case_id)
    assert case.supervised_at is not None


def test_a_second_parent_of_the_same_child_is_a_guardian_too(w):
    other = make_user("os_mum", "parent", w["tree"].school)
    bind(other, w["child"])
    assert apply_for("study_certificate", other, w["child"]).applicant == other


def test_the_applicant_is_told_of_every_step_with_a_link_to_the_application(w, django_capture_on_commit_callbacks):
    from mofang.platform.notifications.models import InboxMessage

    app = apply_for("roll_certificate", w["parent"], w["child"])
    with django_capture_on_commit_callbacks(execute=True):
        _go(app.case, w["school_head"], "accept")
    with django_capture_on_commit_callbacks(execute=True):
        _go(app.case, w["school_head"], "approve")
    msgs = list(InboxMessage.objects.filter(recipient=w["parent"], title__startswith="您的").order_by("pk"))
    assert [m.title for m in msgs] == ["您的学籍证明申请：审核中", "您的学籍证明申请：已办结"]
    assert "验证码" in msgs[-1].body and msgs[-1].link == f"/online_services/mine/{app.pk}/"


def test_each_next_unit_of_a_transfer_is_told(w, django_capture_on_commit_callbacks):
    from mofang.platform.notifications.models import InboxMessage

    app = apply_for("transfer", w["parent"], w["child"], target_school=w["tree"].other_school)
    _go(app.case, w["school_head"], "accept")
    with django_capture_on_commit_callbacks(execute=True):
        _go(app.case, w["school_head"], "agree_out")
    assert InboxMessage.objects.filter(recipient=w["county"], title="新跨县转学待办理").exists()
    assert not InboxMessage.objects.filter(recipient=w["other_county"]).exists()


def test_the_certificate_pdf_embeds_the_chinese_font_and_names_its_code(w):
    from .. import pdf

    app = apply_for("study_certificate", w["parent"], w["child"])
    _go(app.case, w["school_head"], "accept", "approve")
    cert = Certificate.objects.get(application=app)
    body = pdf.certificate_pdf(cert, verify_url="https://example.org/online_services/verify/", compress=False)
    assert body.startswith(b"%PDF") and b"FontFile2" in body  # the TrueType font travels with the file
    assert f"certificate-{cert.code}".encode() in body


def test_the_handler_is_reminded_a_day_before_the_legal_time_limit(w):
    from mofang.platform.cases import overdue
    from mofang.platform.cases.models import CaseEvent

    app = apply_for("roll_certificate", w["parent"], w["child"])
    case = Case.objects.get(pk=app.case_id)
    overdue.scan(now=case.due_at - dt.timedelta(hours=12))
    assert CaseEvent.objects.filter(case=case, kind="remind").count() == 1
    assert Case.objects.get(pk=case.pk).supervised_at is None
