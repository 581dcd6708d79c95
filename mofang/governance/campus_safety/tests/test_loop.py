"""The whole loop through the engine's services: 学校吹哨 → 部门报到 → 处置 → 学校确认 → 销号;
退回; 回头看; 撤回; overdue goes up to the county."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mofang.platform.cases import overdue
from mofang.platform.cases import services as cases
from mofang.platform.notifications.models import InboxMessage, SMSMessage


def test_report_claim_handle_resolve_confirm_closes_the_case(world, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = report("traffic", severity="high")
    assert case.state == "reported" and case.number.startswith("XA")
    # point-to-point: both police liaisons are told, nobody at the fire brigade
    told = set(InboxMessage.objects.filter(title__contains="待认领").values_list("recipient__username", flat=True))
    assert told == {"police1", "police2"}
    assert case.due_at == case.opened_at + dt.timedelta(hours=2)  # 紧急: claim within 2 hours
    cases.claim(case, acting_user=world.police1)
    with pytest.raises(ValidationError):
        cases.claim(case, acting_user=world.police2)  # one claim wins
    cases.fire(case, "start", acting_user=world.police1)
    with pytest.raises(ValidationError):
        cases.fire(case, "resolve", acting_user=world.police2, comment="不是我认领的")
    with pytest.raises(ValidationError) as err:
        cases.fire(case, "resolve", acting_user=world.police1)
    assert "comment" in err.value.message_dict
    cases.fire(case, "resolve", acting_user=world.police1, comment="已安排护学岗疏导")
    assert case.state == "resolved" and case.due_at is None
    # the department cannot close its own case: the school confirms (动态清零)
    with pytest.raises(ValidationError):
        cases.fire(case, "confirm", acting_user=world.police1)
    cases.fire(case, "confirm", acting_user=world.academic)
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_on_time is True
    assert [e.kind for e in case.events.order_by("id")] == ["open", "claim", "transition", "transition", "transition"]


def test_the_school_sends_the_result_back_to_the_same_handler(world, report):
    case = report("fire")
    cases.claim(case, acting_user=world.fireman)
    cases.fire(case, "start", acting_user=world.fireman)
    cases.fire(case, "resolve", acting_user=world.fireman, comment="已整改")
    cases.fire(case, "send_back", acting_user=world.principal, comment="灭火器仍未更换")
    assert case.state == "handling" and case.claimed_by == world.fireman
    cases.fire(case, "resolve", acting_user=world.fireman, comment="已更换灭火器")
    cases.fire(case, "confirm", acting_user=world.principal)
    assert case.state == "closed"


def test_recheck_reopens_a_closed_case_into_the_department_queue(world, report):
    case = report("traffic")
    cases.claim(case, acting_user=world.police1)
    cases.fire(case, "start", acting_user=world.police1)
    cases.fire(case, "resolve", acting_user=world.police1, comment="已处置")
    cases.fire(case, "confirm", acting_user=world.principal)
    cases.reopen(case, acting_user=world.principal, comment="回头看：拥堵反弹")
    assert case.state == "reported" and case.reopened_count == 1
    assert case.claimed_by is None and case.responsible_org == world.police
    cases.claim(case, acting_user=world.police2)  # back in the queue for anyone there


def test_a_teacher_cannot_report_and_another_school_cannot_confirm(world, report):
    with pytest.raises(ValidationError):
        report("traffic", user=world.teacher)
    case = report("traffic")
    cases.claim(case, acting_user=world.police1)
    cases.fire(case, "start", acting_user=world.police1)
    cases.fire(case, "resolve", acting_user=world.police1, comment="已处置")
    with pytest.raises(ValidationError):
        cases.fire(case, "confirm", acting_user=world.other_principal)


def test_the_school_may_withdraw_a_report_made_in_error(world, report):
    case = report("order")
    cases.fire(case, "withdraw", acting_user=world.principal, comment="误报")
    assert case.state == "withdrawn" and not case.is_open


def test_an_unclaimed_overdue_hazard_goes_up_to_the_county_with_an_sms(
    world, report, django_capture_on_commit_callbacks
):
    world.admin.phone = "13900000001"
    world.admin.save()
    case = report("traffic", severity="high")
    later = case.due_at + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        overdue.scan(now=later)
    case.refresh_from_db()
    assert case.responsible_org == world.county and case.escalation_count == 1
    # the county administrator may take it over (county queue)
    cases.claim(case, acting_user=world.admin)
    assert SMSMessage.objects.filter(recipient=world.admin).exists()


def test_one_click_report_up_by_the_department(world, report):
    case = report("traffic")
    cases.claim(case, acting_user=world.police1)
    cases.escalate(case, acting_user=world.police1, to=cases.TO_PARENT_UNIT, reason="需多部门联合处置")
    assert case.responsible_org == world.county
    with pytest.raises(ValidationError):
        cases.escalate(case, acting_user=world.police1, to=cases.TO_PARENT_UNIT)  # no longer theirs
    cases.escalate(case, acting_user=world.admin, to=cases.TO_PARENT_UNIT, reason="报市级")
    assert case.responsible_org == world.tree.city
    cases.claim(case, acting_user=world.city_admin)


def test_hand_off_to_the_grid_platform_reaches_it(world, report, settings):
    """转四平台 goes through the "grid" adapter to the 基层治理四平台 (a double on loopback)."""
    from mofang.platform.cases.adapters import send_pending_handoffs
    from mofang.platform.cases.testing import GridDouble

    with GridDouble() as grid:
        settings.MOFANG_GRID_PLATFORM_URL = grid.url
        case = report("environment")  # county queue
        cases.escalate(case, acting_user=world.admin, to=cases.TO_EXTERNAL, reason="转四平台")
        send_pending_handoffs()  # what the background task does (it may already have run)
    [handoff] = case.handoffs.all()
    assert handoff.adapter == "grid" and handoff.send_state == "sent" and handoff.external_id == "SP-0001"
    assert grid.received[0]["number"] == case.number
    case.refresh_from_db()
    assert case.state == "reported"  # tracked apart from the case state
