"""The loop a user walks: a school reports, the department claims and handles, the school
confirms; everything else is refused with a Chinese message and leaves nothing behind."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import services
from mofang.platform.cases.models import Case, CaseAttachment, CaseEvent
from mofang.platform.notifications.models import InboxMessage

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_report_enters_the_departments_queue_with_its_deadline(report, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = report(severity="high", lon="118.51", lat="28.90", address="常山县第一小学南门")
    case.refresh_from_db()
    assert case.number.startswith("CS") and case.state == "reported" and case.claimed_by is None
    assert case.responsible_org == world.dept and case.reporter == world.principal
    assert case.due_at == case.opened_at + dt.timedelta(hours=2)  # high severity: 2 hours to claim
    assert [e.kind for e in case.events.all()] == ["open"]
    assert AuditEntry.objects.filter(object_type="cases.Case", object_id=str(case.pk), action="create").exists()
    # both liaisons of the department are told; the other county's is not
    told = set(InboxMessage.objects.filter(title="新测试隐患待认领").values_list("recipient__username", flat=True))
    assert told == {"liaison1", "liaison2"}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "  ", "请填写标题"),
        ("severity", "urgent", "紧急程度只能是：紧急、一般"),
        ("category", "weather", "类别只能是：交通拥堵、消防"),
        ("lat", "95", "纬度必须在-90到90之间"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(report, field, value, message):
    kw = {"lon": "118.5", "lat": "28.9", field: value}
    with pytest.raises(ValidationError) as exc:
        report(**kw)
    assert message in _message(exc) and field in exc.value.message_dict
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_teacher_without_the_report_permission_cannot_report(report, world):
    with pytest.raises(ValidationError) as exc:
        report(acting_user=world.teacher)
    assert "没有在常山县第一小学上报测试隐患的权限" in _message(exc)


def test_only_the_responsible_units_staff_may_claim(report, world):
    case = report()
    for outsider in (world.other_liaison, world.principal):
        with pytest.raises(ValidationError) as exc:
            services.claim(case, acting_user=outsider)
        assert "您不能认领常山县公安局的案件" in _message(exc)
    case = services.claim(case, acting_user=world.liaison)
    assert case.claimed_by == world.liaison and case.first_claimed_at is not None
    with pytest.raises(ValidationError) as exc:
        services.claim(case, acting_user=world.liaison2)
    assert "该案件已由王联络认领" in _message(exc)


def test_the_whole_loop_closes_fixed_on_time_and_tells_the_reporter(report, world, django_capture_on_commit_callbacks):
    case = report()
    services.claim(case, acting_user=world.liaison)
    services.fire(case, "start", acting_user=world.liaison)
    services.fire(case, "resolve", acting_user=world.liaison, comment="已安排交警早晚高峰疏导")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.fire(case, "confirm", acting_user=world.principal)
    assert case.state == "closed" and case.state_kind == "closed_fixed"
    assert case.closed_on_time is True and case.due_at is None and case.closed_at is not None
    kinds = list(case.events.values_list("kind", "transition"))
    assert kinds == [
        ("open", ""),
        ("claim", ""),
        ("transition", "start"),
        ("transition", "resolve"),
        ("transition", "confirm"),
    ]
    assert InboxMessage.objects.filter(recipient=world.principal, title__contains="确认销号").exists()


def test_transitions_outside_the_graph_or_the_grants_are_refused(report, world):
    case = report()
    with pytest.raises(ValidationError) as exc:
        services.fire(case, "confirm", acting_user=world.principal)
    assert "案件当前状态为「待认领」，不能执行「确认销号」" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        services.fire(case, "start", acting_user=world.liaison)
    assert "请先认领案件，再执行「开始处置」" in _message(exc)
    services.claim(case, acting_user=world.liaison)
    with pytest.raises(ValidationError) as exc:
        services.fire(case, "start", acting_user=world.liaison2)  # not the claimant
    assert "您没有执行「开始处置」的权限" in _message(exc)
    services.fire(case, "start", acting_user=world.liaison)
    with pytest.raises(ValidationError) as exc:
        services.fire(case, "resolve", acting_user=world.liaison, comment="  ")
    assert "执行「办结反馈」须填写意见" in _message(exc)
    services.fire(case, "resolve", acting_user=world.liaison, comment="已处置")
    with pytest.raises(ValidationError) as exc:  # the department cannot confirm its own work
        services.fire(case, "confirm", acting_user=world.liaison)
    assert "您没有执行「确认销号」的权限" in _message(exc)
    case.refresh_from_db()
    assert case.state == "resolved"


def test_a_send_back_returns_the_case_to_the_claimant_with_a_new_deadline(report, world):
    case = report()
    services.claim(case, acting_user=world.liaison)
    services.fire(case, "start", acting_user=world.liaison)
    services.fire(case, "resolve", acting_user=world.liaison, comment="已处置")
    case = services.fire(case, "send_back", acting_user=world.principal, comment="仍有摊贩占道")
    assert case.state == "handling" and case.claimed_by == world.liaison
    assert case.due_at == case.state_entered_at + dt.timedelta(hours=72)


def test_a_closed_case_is_reopened_for_a_recheck_back_to_the_queue(report, world):
    case = report()
    services.claim(case, acting_user=world.liaison)
    services.fire(case, "start", acting_user=world.liaison)
    services.fire(case, "give_up", acting_user=world.liaison, comment="需跨部门处置")
    with pytest.raises(ValidationError) as exc:
        services.reopen(case, acting_user=world.principal, comment="")
    assert "须填写意见" in _message(exc)
    case = services.reopen(case, acting_user=world.principal, comment="回头看：问题反弹")
    assert case.state == "reported" and case.reopened_count == 1 and case.claimed_by is None
    assert case.closed_at is None and case.due_at is not None


def test_escalation_by_hand_moves_the_case_to_the_unit_above(report, world, django_capture_on_commit_callbacks):
    case = report()
    services.claim(case, acting_user=world.liaison)
    with pytest.raises(ValidationError):
        services.escalate(case, acting_user=world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.escalate(case, acting_user=world.liaison, reason="需县里协调")
    assert case.responsible_org == world.tree.county and case.claimed_by is None and case.escalation_count == 1
    assert InboxMessage.objects.filter(recipient=world.county_admin, title__contains="已上报至本单位").exists()
    # the department no longer holds it; the county may claim it
    with pytest.raises(ValidationError):
        services.claim(case, acting_user=world.liaison)
    assert services.claim(case, acting_user=world.county_admin).claimed_by == world.county_admin


def test_comments_and_attachments_need_the_case_in_scope(report, world):
    case = report()
    services.comment(case, "请尽快处理", acting_user=world.liaison2)
    with pytest.raises(ValidationError) as exc:
        services.comment(case, "路过", acting_user=world.other_liaison)
    assert "您不能对该案件发表意见" in _message(exc)
    att = services.attach(case, SimpleUploadedFile("现场.png", PNG), acting_user=world.principal)
    assert att.content_type == "image/png" and att.original_name == "现场.png"
    assert list(case.events.values_list("kind", flat=True)) == ["open", "comment", "attach"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"MZ\x90\x00 not an image", "附件只能是PDF、JPG或PNG文件"),
        (PNG + b"\0" * (10 * 1024 * 1024), "附件不能超过10MB"),
    ],
)
def test_attachments_are_checked_by_content_and_size(report, world, content, message):
    case = report()
    with pytest.raises(ValidationError) as exc:
        services.attach(case, SimpleUploadedFile("photo.png", content), acting_user=world.principal)
    assert message in _message(exc)
    assert CaseAttachment.objects.count() == 0


def test_the_timeline_is_append_only_in_the_database(report):
    case = report()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(comment="改写")
    with pytest.raises(RuntimeError):
        case.events.first().delete()
