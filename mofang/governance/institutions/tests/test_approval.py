"""分类审批: routing by category, the decision carried onto the registry, and the status graph."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mofang.platform.cases import routing
from mofang.platform.cases import services as cases

from .. import services
from ..cases import APPLICATION_ROUTES
from ..models import Category, Decision, Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "category,unit",
    [
        (Category.SUBJECT, "county"),
        (Category.TECH, "tech"),
        (Category.ARTS, "culture"),
        (Category.SPORTS, "sports"),
        (Category.OTHER, "county"),
    ],
)
def test_each_category_goes_to_the_unit_that_owns_it(world, register, category, unit):
    inst = register(category=category)
    app = services.submit_application(inst, acting_user=world.admin)
    assert app.case.responsible_org == getattr(world, unit)
    assert app.department == getattr(world, unit)
    inst.refresh_from_db()
    assert inst.status == Status.REVIEWING


def test_the_county_table_overrides_the_default(world, register):
    routing.save_rule(APPLICATION_ROUTES, world.county, Category.SPORTS, world.culture, acting_user=world.admin)
    routing.save_rule(APPLICATION_ROUTES, world.county, Category.OTHER, world.tech, acting_user=world.admin)
    assert routing.responsible_for(APPLICATION_ROUTES, world.county, Category.SPORTS) == world.culture
    assert routing.responsible_for(APPLICATION_ROUTES, world.county, Category.OTHER) == world.tech
    assert routing.responsible_for(APPLICATION_ROUTES, world.county, Category.SUBJECT) == world.county


def test_subject_category_cannot_be_routed_away_from_the_bureau(world):
    with pytest.raises(ValidationError, match="学科类由教育局审批"):
        routing.save_rule(APPLICATION_ROUTES, world.county, Category.SUBJECT, world.tech, acting_user=world.admin)


def test_another_countys_department_is_refused(world):
    with pytest.raises(ValidationError, match="审批部门"):
        routing.save_rule(
            APPLICATION_ROUTES,
            world.county,
            Category.TECH,
            world.tree.department.__class__.objects.get(pk=world.tree.other_county.pk),
            acting_user=world.admin,
        )


def test_approval_sets_normal_and_records_the_department(world, register):
    inst = register(category=Category.TECH)
    doc = SimpleUploadedFile("场地证明.pdf", PDF, content_type="application/pdf")
    app = services.submit_application(inst, acting_user=world.admin, documents=[doc])
    assert app.case.attachments.count() == 1
    services.decide_application(app, approve=True, acting_user=world.keji, reason="场地、师资符合要求")
    inst.refresh_from_db()
    app.refresh_from_db()
    assert inst.status == Status.NORMAL and inst.approving_department == world.tech
    assert app.decision == Decision.APPROVED and app.case.state == "approved"


def test_refusal_records_the_reason_and_returns_to_preparing(world, register):
    inst = register(category=Category.ARTS)
    app = services.submit_application(inst, acting_user=world.admin)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.decide_application(app, approve=False, acting_user=world.wenlv)
    services.decide_application(app, approve=False, acting_user=world.wenlv, reason="消防验收材料缺失")
    inst.refresh_from_db()
    app.refresh_from_db()
    assert inst.status == Status.PREPARING and app.reason == "消防验收材料缺失"
    assert app.decision == Decision.REFUSED


def test_another_department_cannot_decide(world, register):
    app = services.submit_application(register(category=Category.TECH), acting_user=world.admin)
    with pytest.raises(ValidationError):
        services.decide_application(app, approve=True, acting_user=world.wenlv)
    app.refresh_from_db()
    assert app.decision == ""


def test_a_decision_on_the_generic_case_page_reaches_the_registry_at_once(world, register):
    inst = register(category=Category.TECH)
    app = services.submit_application(inst, acting_user=world.admin)
    case = app.case
    cases.claim(case, acting_user=world.keji)
    cases.fire(case, "accept", acting_user=world.keji)
    inst.refresh_from_db()
    assert inst.status == Status.REVIEWING  # still open: nothing decided yet
    cases.fire(case, "approve", acting_user=world.keji)
    inst.refresh_from_db()
    app.refresh_from_db()
    assert inst.status == Status.NORMAL and inst.approving_department == world.tech
    assert app.decision == "approved" and app.decided_at is not None


def test_only_a_preparing_institution_may_apply(world, approved):
    inst = approved()
    with pytest.raises(ValidationError, match="只有筹设中的机构"):
        services.submit_application(inst, acting_user=world.admin)


def test_manual_status_changes_follow_the_graph(world, register, approved):
    inst = approved()
    services.change_status(inst, Status.SUSPENDED, acting_user=world.admin, reason="停业整顿")
    assert inst.status == Status.SUSPENDED
    services.change_status(inst, Status.NORMAL, acting_user=world.admin, reason="恢复营业")
    assert inst.status == Status.NORMAL
    services.change_status(inst, Status.CANCELLED, acting_user=world.admin, reason="注销")
    with pytest.raises(ValidationError, match="不能直接改为"):
        services.change_status(inst, Status.NORMAL, acting_user=world.admin, reason="恢复")
    reviewing = register("审批中机构")
    services.submit_application(reviewing, acting_user=world.admin)
    with pytest.raises(ValidationError, match="须经审批"):
        services.change_status(reviewing, Status.NORMAL, acting_user=world.admin, reason="跳过审批")


def test_inspection_finding_puts_the_institution_in_rectification_until_accepted(world, approved):

    inst = approved()
    insp = services.record_inspection(
        inst,
        acting_user=world.admin,
        kind="covert",
        date=timezone.localdate(),
        inspectors="双减专班",
        findings="托管时段讲授数学",
        rectify=True,
    )
    inst.refresh_from_db()
    assert inst.status == Status.RECTIFYING and insp.rectification.state == "rectifying"
    with pytest.raises(ValidationError, match="须填写意见"):
        services.close_rectification(insp, acting_user=world.admin, comment="")
    services.close_rectification(insp, acting_user=world.admin, comment="已停止学科类内容")
    inst.refresh_from_db()
    assert inst.status == Status.NORMAL


def test_a_rectification_accepted_on_the_generic_case_page_settles_the_institution_at_once(world, approved):

    inst = approved()
    first = services.record_inspection(
        inst,
        acting_user=world.admin,
        kind="inspection",
        date=timezone.localdate(),
        inspectors="双减专班",
        findings="收费公示不全",
        rectify=True,
    )
    second = services.record_inspection(
        inst,
        acting_user=world.admin,
        kind="covert",
        date=timezone.localdate(),
        inspectors="双减专班",
        findings="托管时段讲授数学",
        rectify=True,
    )
    cases.fire(first.rectification, "accept", acting_user=world.admin, comment="已公示")
    inst.refresh_from_db()
    assert inst.status == Status.RECTIFYING  # the second rectification is still open
    cases.fire(second.rectification, "accept", acting_user=world.admin, comment="已停止学科类内容")
    inst.refresh_from_db()
    assert inst.status == Status.NORMAL


def test_duplicate_credit_code_is_refused(world, register):
    inst = register()
    with pytest.raises(ValidationError, match="已有机构使用"):
        services.save_institution(
            acting_user=world.admin,
            name="另一家",
            credit_code=inst.credit_code,
            category=Category.ARTS,
            region=world.county,
        )


def test_a_county_cannot_register_in_another(world):
    from .. import uscc

    with pytest.raises(ValidationError, match="权限"):
        services.save_institution(
            acting_user=world.admin,
            name="越界机构",
            category=Category.ARTS,
            credit_code=uscc.make_credit_code("52", "330881", "XX000001"),
            region=world.other_county,
        )
