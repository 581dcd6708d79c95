"""The services: compliance from the database, 采用建议, visits, and the 整改 loop on the engine."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.compliance import county_report
from mofang.governance.supervision.models import Finding, InspectorAssignment, ItemResult
from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import overdue
from mofang.platform.cases.models import Case, EventKind
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.people.models import Student
from mofang.platform.testing import add

from .conftest import visit_with_problem


def students(school, n, prefix):
    Student.objects.bulk_create(
        [
            Student(student_no=f"{prefix}{i:07d}", name="学生", sex="M", birth_date=dt.date(2015, 3, 1), school=school)
            for i in range(n)
        ]
    )


@pytest.mark.django_db
def test_student_counts_decide_the_own_inspector_rule(sup, django_assert_max_num_queries):
    big = add(
        sup.tree.county,
        "常山县大学校",
        OrgKind.SCHOOL,
        "3308220077",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PUBLIC,
    )
    students(big, 1800, "A")
    rep, _ = county_report(sup.tree.county)
    assert rep.schools == 2 and rep.big_schools == 0 and rep.need_total == 1
    students(big, 1, "B")
    with django_assert_max_num_queries(5):
        rep, _ = county_report(sup.tree.county)
    assert rep.big_schools == 1 and rep.need_total == 2 and rep.proposal is None
    assert rep.no_proposal_reason == "督学人数不足：至少需要2名，现有1名"


@pytest.mark.django_db
def test_adopting_the_proposal_assigns_every_school_and_is_audited(sup):
    second = services.add_inspector(sup.tree.county, "李督学", full_time=False, acting_user=sup.admin)
    big = add(
        sup.tree.county,
        "常山县大学校",
        OrgKind.SCHOOL,
        "3308220077",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PUBLIC,
    )
    students(big, 1801, "A")
    assert services.adopt_proposal(sup.tree.county, acting_user=sup.admin) == 2
    got = {a.school_id: a.inspector_id for a in InspectorAssignment.objects.all()}
    assert got == {big.pk: sup.inspector.pk, sup.tree.school.pk: second.pk}
    rep, _ = county_report(sup.tree.county)
    assert rep.violations == [] and rep.compliant
    assert AuditEntry.objects.filter(summary="常山县采用督学责任区建议方案").exists()


@pytest.mark.django_db
def test_only_the_county_administrator_adopts(sup):
    with pytest.raises(ValidationError, match="您没有调整常山县督学责任区的权限"):
        services.adopt_proposal(sup.tree.county, acting_user=sup.principal)


@pytest.mark.django_db
def test_a_problem_item_needs_a_note_and_becomes_a_finding(sup):
    items = services.checklist_items(sup.checklist)
    assert len(items) == 20
    results = {i.pk: {"result": ItemResult.OK} for i in items}
    results[items[0].pk] = {"result": ItemResult.PROBLEM, "note": ""}
    with pytest.raises(ValidationError, match="第1项存在问题，请填写问题说明"):
        services.record_visit(
            inspector=sup.inspector,
            school=sup.tree.school,
            visited_on=timezone.localdate(),
            checklist=sup.checklist,
            results=results,
            acting_user=sup.inspector_user,
        )
    assert not Finding.objects.exists()
    visit = visit_with_problem(sup)
    [f] = visit.findings.all()
    assert f.description == "食堂食品安全与营养膳食管理：食堂留样记录缺失"


@pytest.mark.django_db
def test_an_inspector_cannot_visit_another_countys_school(sup):
    items = services.checklist_items(sup.checklist)
    with pytest.raises(ValidationError, match="您不能记录江山市实验小学的进校督查"):
        services.record_visit(
            inspector=sup.inspector,
            school=sup.tree.other_school,
            visited_on=timezone.localdate(),
            checklist=sup.checklist,
            results={i.pk: {"result": "ok"} for i in items},
            acting_user=sup.inspector_user,
        )


def _issue(sup, **kw):
    finding = visit_with_problem(sup).findings.get()
    return services.issue_notice(
        finding, content="完善食堂留样制度，每餐留样48小时。", term_days=15, acting_user=sup.inspector_user, **kw
    )


@pytest.mark.django_db
def test_issue_reply_verify_closes_and_schedules_the_recheck(sup):
    rect = _issue(sup)
    case = rect.case
    assert case.state_label == "待整改" and case.responsible_org == sup.tree.school
    pdf = SimpleUploadedFile("留样记录.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    services.reply(rect, comment="已建立留样台账。", attachments=[pdf], acting_user=sup.principal)
    case.refresh_from_db()
    assert case.state_label == "待核查" and case.attachments.count() == 1
    with pytest.raises(ValidationError, match="您没有执行「核查通过（销号）」的权限"):
        services.verify(rect, passed=True, acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user)
    case.refresh_from_db()
    rect.refresh_from_db()
    assert case.state_label == "已销号" and case.closed_on_time is True
    assert rect.recheck_due == timezone.localdate() + dt.timedelta(days=90)


@pytest.mark.django_db
def test_a_failed_verification_goes_back_to_rectifying(sup):
    rect = _issue(sup)
    services.reply(rect, comment="已整改。", acting_user=sup.principal)
    with pytest.raises(ValidationError, match="执行「核查未通过」须填写意见"):
        services.verify(rect, passed=False, acting_user=sup.inspector_user)
    services.verify(rect, passed=False, comment="留样不足48小时。", acting_user=sup.inspector_user)
    rect.case.refresh_from_db()
    assert rect.case.state_label == "整改中"


@pytest.mark.django_db
def test_overdue_rectification_gets_a_supervision_order(sup):
    rect = _issue(sup)
    start = timezone.now()
    # the school signs but never reports (no services.reply)
    from mofang.platform.cases import services as cases

    cases.fire(rect.case, "start", acting_user=sup.principal, now=start)
    due = start + dt.timedelta(days=15)
    overdue.scan(now=due)  # at the deadline: still on time
    assert Case.objects.get(pk=rect.case.pk).supervised_at is None
    overdue.scan(now=due + dt.timedelta(seconds=1))
    case = Case.objects.get(pk=rect.case.pk)
    assert case.supervised_at is not None
    assert case.events.filter(kind=EventKind.SUPERVISE).count() == 1


@pytest.mark.django_db
def test_recheck_rebound_reopens_and_supervises_held_just_records(sup):
    rect = _issue(sup)
    services.reply(rect, comment="已整改。", acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user)
    with pytest.raises(ValidationError, match="请填写回头看情况"):
        services.recheck(rect, held=False, note="", acting_user=sup.inspector_user)
    services.recheck(rect, held=False, note="留样再次缺失。", acting_user=sup.inspector_user)
    rect.case.refresh_from_db()
    assert rect.case.state_label == "整改中" and rect.case.reopened_count == 1
    assert rect.case.supervised_at is not None


@pytest.mark.django_db
def test_publishing_needs_a_closed_case_and_shows_no_person(sup):
    rect = _issue(sup, major=True)
    with pytest.raises(ValidationError, match="整改销号后才能公开整改结果"):
        services.publish(rect, summary="已整改。", acting_user=sup.admin)
    services.reply(rect, comment="已整改。", acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user)
    services.publish(rect, summary="食堂已建立留样台账。", acting_user=sup.admin)
    assert list(services.published_rectifications()) == [rect]


@pytest.mark.django_db
def test_bad_terms_are_refused_in_chinese(sup):
    finding = visit_with_problem(sup).findings.get()
    with pytest.raises(ValidationError, match="整改期限只能是7、15、30、60、90天"):
        services.issue_notice(finding, content="整改", term_days=10, acting_user=sup.inspector_user)
    with pytest.raises(ValidationError, match="请填写整改内容"):
        services.issue_notice(finding, content=" ", term_days=15, acting_user=sup.inspector_user)
    with pytest.raises(ValidationError, match="您不能向常山县第一小学下达整改通知"):
        services.issue_notice(finding, content="整改", term_days=15, acting_user=sup.other_inspector_user)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_finding_gets_one_notice(sup):
    rect = _issue(sup)
    with pytest.raises(ValidationError, match="该问题已下达整改通知"):
        services.issue_notice(rect.finding, content="再下达", term_days=7, acting_user=sup.inspector_user)
    assert Case.objects.count() == 1
