"""Hand-off to the 基层治理四平台 through the HTTP adapter, against a test double on loopback."""

import datetime as dt

import pytest

from mofang.platform.cases import adapters, overdue, services
from mofang.platform.cases.models import ExternalHandoff
from mofang.platform.cases.testing import GridDouble

from .conftest import HANDED_OFF


@pytest.fixture
def grid(settings):
    with GridDouble() as double:
        settings.MOFANG_GRID_PLATFORM_URL = double.url
        yield double


def _overdue_handoff(report):
    case = report(code=HANDED_OFF.code, description="校门口道路施工占道", address="常山县定阳路")
    overdue.scan(now=case.due_at + dt.timedelta(seconds=1))
    return case, ExternalHandoff.objects.get(case=case)


def test_the_platform_accepts_and_the_case_shows_its_external_id(report, grid):
    case, handoff = _overdue_handoff(report)
    assert adapters.send_handoff(handoff.pk) == "sent"
    handoff.refresh_from_db()
    assert handoff.send_state == "sent" and handoff.attempts == 1 and handoff.external_id == "SP-0001"
    assert grid.received[0]["number"] == case.number and grid.received[0]["title"] == "校门口上下学拥堵"
    assert grid.received[0]["responsible_org"] == "常山县公安局"
    assert case.events.filter(kind="external", comment__contains="SP-0001").exists()
    assert adapters.send_handoff(handoff.pk) == "skipped"  # never sent twice


def test_a_refusal_is_kept_and_the_next_attempt_succeeds(report, grid):
    grid.fail = 1
    case, handoff = _overdue_handoff(report)
    assert adapters.send_pending_handoffs() == {"retry": 1}
    handoff.refresh_from_db()
    assert handoff.send_state == "pending" and handoff.attempts == 1 and "503" in handoff.last_error
    assert adapters.send_pending_handoffs() == {"sent": 1}
    handoff.refresh_from_db()
    assert handoff.send_state == "sent" and handoff.attempts == 2 and handoff.last_error == ""
    assert case.state == "reported"  # the hand-off never moves the case itself


def test_status_updates_from_the_platform_reach_the_timeline(report, grid):
    case, handoff = _overdue_handoff(report)
    adapters.send_handoff(handoff.pk)
    assert adapters.refresh_status(handoff.pk) == "已受理"
    grid.status["SP-0001"] = "已办结"
    assert adapters.refresh_status(handoff.pk) == "已办结"
    assert adapters.refresh_status(handoff.pk) == "已办结"
    handoff.refresh_from_db()
    assert handoff.external_status == "已办结" and handoff.last_checked_at is not None
    assert list(case.events.filter(kind="external").values_list("comment", flat=True)) == [
        "已转基层治理四平台，对方编号SP-0001",
        "基层治理四平台状态：已受理",
        "基层治理四平台状态：已办结",
    ]


def test_after_five_failures_the_hand_off_is_marked_failed(report, grid):
    grid.fail = 99
    case, handoff = _overdue_handoff(report)
    outcomes = [adapters.send_handoff(handoff.pk) for _ in range(adapters.MAX_ATTEMPTS + 1)]
    assert outcomes == ["retry"] * 4 + ["failed", "skipped"]
    handoff.refresh_from_db()
    assert handoff.send_state == "failed" and handoff.attempts == 5
    assert case.events.filter(kind="external", comment__startswith="转基层治理四平台失败").count() == 1


def test_no_url_configured_is_an_error_not_a_crash(report, settings, monkeypatch):
    settings.MOFANG_GRID_PLATFORM_URL = ""
    monkeypatch.delenv("MOFANG_GRID_PLATFORM_URL", raising=False)
    case, handoff = _overdue_handoff(report)
    assert adapters.send_handoff(handoff.pk) == "retry"
    handoff.refresh_from_db()
    assert "未配置基层治理四平台地址" in handoff.last_error


def test_the_default_adapter_records_the_hand_off(report, world, django_capture_on_commit_callbacks):
    case = report()
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(case, acting_user=world.liaison, to=services.TO_EXTERNAL, reason="跨部门")
    handoff = ExternalHandoff.objects.get(case=case)
    assert handoff.adapter == "record" and handoff.send_state == "sent"
    assert handoff.external_id == f"LOCAL-{case.number}"


def test_statuses_of_open_cases_are_read_at_most_every_half_hour(report, grid):
    case, handoff = _overdue_handoff(report)
    adapters.send_handoff(handoff.pk)
    t = handoff.created_at + dt.timedelta(minutes=1)
    assert adapters.refresh_sent_handoffs(t) == 1
    grid.status["SP-0001"] = "处置中"
    assert adapters.refresh_sent_handoffs(t + dt.timedelta(minutes=10)) == 0  # checked 10 minutes ago
    assert adapters.refresh_sent_handoffs(t + dt.timedelta(minutes=30)) == 1
    handoff.refresh_from_db()
    assert handoff.external_status == "处置中"
