"""The overdue scan: reminders before a deadline, escalation after it, once per deadline, in a
number of queries that does not grow with the number of cases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import overdue, services
from mofang.platform.cases.models import CaseEvent, ExternalHandoff
from mofang.platform.notifications.models import InboxMessage

from .conftest import HANDED_OFF, SUPERVISED

US = dt.timedelta(microseconds=1)


def _escalated(case) -> bool:
    return case.events.filter(kind="escalate").exists()


def test_a_case_due_now_is_not_overdue_one_microsecond_later_it_is(report, world):
    case = report()
    due = case.due_at
    assert not case.is_overdue(due) and case.is_overdue(due + US)
    assert overdue.scan(now=due)["escalated"] == 0
    case.refresh_from_db()
    assert case.responsible_org == world.dept and not _escalated(case)
    assert overdue.scan(now=due + US)["escalated"] == 1
    case.refresh_from_db()
    assert case.responsible_org == world.tree.county and _escalated(case)


def test_an_overdue_case_is_escalated_once_per_deadline(report, world):
    case = report()
    services.claim(case, acting_user=world.liaison)
    late = case.due_at + dt.timedelta(minutes=5)
    assert overdue.scan(now=late)["escalated"] == 1
    assert overdue.scan(now=late + dt.timedelta(minutes=5))["escalated"] == 0  # same deadline: nothing more
    case.refresh_from_db()
    assert case.responsible_org == world.tree.county and case.claimed_by is None and case.escalation_count == 1
    assert case.events.filter(kind="escalate").count() == 1
    event = case.events.get(kind="escalate")
    assert event.org == world.tree.county and event.actor is None and event.from_state == "reported"
    assert InboxMessage.objects.filter(recipient=world.county_admin, title="测试隐患逾期上报").count() == 1
    assert AuditEntry.objects.filter(summary__startswith="测试隐患：1件逾期案件自动升级").count() == 1
    # a new deadline (the county claims and starts) can be escalated again, to the city
    services.claim(case, acting_user=world.county_admin, now=late)
    case = services.fire(case, "start", acting_user=world.county_admin, now=late)
    assert overdue.scan(now=case.due_at + US)["escalated"] == 1
    case.refresh_from_db()
    assert case.responsible_org == world.tree.city and case.escalation_count == 2


def test_a_case_at_the_root_stays_there_but_is_escalated_once(report, world):
    case = report(responsible_org=world.tree.province)
    overdue.scan(now=case.due_at + US)
    case.refresh_from_db()
    assert case.responsible_org == world.tree.province and case.escalation_count == 1


def test_closed_cases_are_never_escalated(report, world):
    case = report()
    services.claim(case, acting_user=world.liaison)
    services.fire(case, "start", acting_user=world.liaison)
    services.fire(case, "give_up", acting_user=world.liaison, comment="无法办理")
    assert overdue.scan(now=case.opened_at + dt.timedelta(days=30))["escalated"] == 0


def test_a_reminder_goes_out_once_within_the_hour_before_the_deadline(report, world):
    case = report()
    assert overdue.scan(now=case.due_at - dt.timedelta(hours=1) - US)["reminded"] == 0
    assert overdue.scan(now=case.due_at - dt.timedelta(minutes=30))["reminded"] == 1
    assert overdue.scan(now=case.due_at)["reminded"] == 0
    assert case.events.filter(kind="remind").count() == 1
    digest = InboxMessage.objects.filter(title="测试隐患即将到期")
    assert sorted(digest.values_list("recipient__username", flat=True)) == ["liaison1", "liaison2"]
    assert digest.first().body == "您单位有1件测试隐患即将到期，请尽快办理。"


def test_a_supervised_type_issues_a_supervision_order_and_keeps_the_unit(report, world):
    case = report(code=SUPERVISED.code)
    overdue.scan(now=case.due_at + US)
    case.refresh_from_db()
    assert case.responsible_org == world.dept and case.supervised_at == case.due_at + US
    assert case.events.filter(kind="supervise").count() == 1


def test_supervision_keeps_the_case_with_its_unit_and_tells_the_unit_above_with_links(report, world):
    """督办 comes from the level above: the department keeps the case and is told; the county's staff
    are told too; each message opens the case (one case) or the overdue list (several)."""
    case = report(code=SUPERVISED.code)
    overdue.scan(now=case.due_at + US)
    case.refresh_from_db()
    assert case.responsible_org == world.dept
    told = InboxMessage.objects.filter(recipient=world.liaison, title="测试隐患逾期督办").get()
    assert told.link == f"/cases/{case.pk}/"
    above = InboxMessage.objects.filter(recipient=world.county_admin, title="下级单位测试隐患逾期督办").get()
    assert above.link == f"/cases/{case.pk}/" and "请跟踪办理进度" in above.body
    more = [report(code=SUPERVISED.code) for _ in range(2)]
    overdue.scan(now=more[-1].due_at + US)
    latest = InboxMessage.objects.filter(recipient=world.county_admin, title="下级单位测试隐患逾期督办").first()
    assert latest.link == f"/cases/t/{SUPERVISED.code}/?overdue=1" and latest.body.startswith("下级单位有2件")


def test_every_message_about_a_case_links_to_it(report, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = report()
        services.claim(case, acting_user=world.liaison)
        services.fire(case, "start", acting_user=world.liaison)
        services.escalate(case, acting_user=world.liaison, reason="需县里协调")
    overdue.scan(now=case.due_at + US)
    messages = InboxMessage.objects.all()
    assert messages.count() >= 2 and all(m.link.startswith("/cases/") for m in messages)


def test_an_external_type_records_one_pending_hand_off(report, world):
    case = report(code=HANDED_OFF.code)
    overdue.scan(now=case.due_at + US)
    overdue.scan(now=case.due_at + 2 * US)
    handoff = ExternalHandoff.objects.get(case=case)
    assert handoff.adapter == "grid" and handoff.send_state == "pending" and handoff.attempts == 0
    assert case.events.filter(kind="handoff").count() == 1


@pytest.mark.parametrize("code", ["casetest.hazard", SUPERVISED.code, HANDED_OFF.code])
def test_the_scan_runs_the_same_number_of_queries_for_3_and_30_cases(report, world, code):
    def queries(n, now):
        for _ in range(n):
            report(code=code)
        with CaptureQueriesContext(connection) as ctx:
            result = overdue.scan(now=now)
        return len(ctx.captured_queries), result

    first = report(code=code)
    now = first.due_at + dt.timedelta(days=1)
    few, r1 = queries(2, now)
    many, r2 = queries(30, now + dt.timedelta(seconds=1))
    assert r1["escalated"] == 3 and r2["escalated"] == 30
    assert few == many


def test_the_scan_is_registered_to_run_every_five_minutes():
    from mofang.platform.jobs.services import PERIODIC

    job = PERIODIC["cases.overdue_scan"]
    at = dt.datetime(2026, 11, 23, 20, 17, 42)
    assert job.period_of(at) == "2026-11-23T20:15" == job.period_of(at.replace(minute=19, second=59))
    assert job.period_of(at.replace(minute=20)) == "2026-11-23T20:20"


def test_events_written_by_the_scan_carry_the_cases_state(report):
    a, b = report(), report(title="放学时段摊贩聚集")
    overdue.scan(now=max(a.due_at, b.due_at) + US)
    rows = CaseEvent.objects.filter(kind="escalate").order_by("case_id")
    assert [(e.case_id, e.from_state, e.to_state, e.actor_name) for e in rows] == [
        (a.pk, "reported", "reported", "系统"),
        (b.pk, "reported", "reported", "系统"),
    ]


def test_the_scheduler_runs_the_scan_once_per_window(report, world):
    from django.utils import timezone

    from mofang.platform.jobs.services import run_due_periodic_jobs

    case = report(now=timezone.now() - dt.timedelta(hours=30))  # due 6 hours ago
    now = timezone.localtime()
    assert f"cases.overdue_scan:{overdue.scan_period(now)}" in run_due_periodic_jobs(now)
    assert "cases.overdue_scan" not in " ".join(run_due_periodic_jobs(now))
    case.refresh_from_db()
    assert case.responsible_org == world.tree.county and case.escalation_count == 1


def test_a_case_escalated_by_hand_is_not_escalated_again_by_the_scan_for_the_same_deadline(
    report, world, django_capture_on_commit_callbacks
):
    case = report()
    services.claim(case, acting_user=world.liaison)
    late = case.due_at + dt.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.escalate(case, acting_user=world.liaison, reason="需县里协调", now=late)
        assert overdue.scan(now=late + dt.timedelta(minutes=5))["escalated"] == 0
        assert overdue.scan(now=late + dt.timedelta(minutes=10))["escalated"] == 0
    case.refresh_from_db()
    # one escalation, to the county, and the county told once — not passed on to the city by the scan
    assert case.responsible_org == world.tree.county and case.escalation_count == 1
    assert case.events.filter(kind="escalate").count() == 1
    told = InboxMessage.objects.filter(recipient=world.county_admin)
    assert [m.title for m in told if "上报" in m.title] == [f"测试隐患{case.number}已上报至本单位"]
    assert not InboxMessage.objects.filter(recipient__in=[world.county_admin], title="测试隐患逾期上报").exists()
    # a new deadline (the county claims and starts) may be escalated again, by the scan
    services.claim(case, acting_user=world.county_admin, now=late)
    case = services.fire(case, "start", acting_user=world.county_admin, now=late)
    assert overdue.scan(now=case.due_at + US)["escalated"] == 1
    case.refresh_from_db()
    assert case.responsible_org == world.tree.city and case.escalation_count == 2
