"""Crisis alerts: a positive self-harm answer alerts the assigned professionals in the same request
(inbox + SMS); unacknowledged by the deadline, the overdue scan escalates the case to the county's
心理健康指导中心; acknowledging moves the case into the 咨询 step."""

import datetime as dt

from django.utils import timezone

from mofang.governance.mentalhealth import services
from mofang.governance.mentalhealth.models import CrisisAlert
from mofang.platform.cases.overdue import scan
from mofang.platform.notifications.models import InboxMessage, SMSMessage

from .conftest import CALM, CRISIS


def _crisis_answers():
    p, g = CRISIS
    return {f"phq9_{i}": str(v) for i, v in enumerate(p, 1)} | {f"gad7_{i}": str(v) for i, v in enumerate(g, 1)}


def test_a_positive_self_harm_answer_alerts_the_assigned_professionals_at_once(mh, client):
    r = client.post(f"/mentalhealth/answer/{mh.code[mh.a.pk]}/", _crisis_answers())
    assert r.status_code == 200 and "12356" in r.content.decode()
    alert = CrisisAlert.objects.get(student=mh.a)
    assert alert.acknowledged_at is None
    assert alert.due_at - alert.raised_at == dt.timedelta(hours=2)
    assert set(InboxMessage.objects.filter(title="心理危机预警").values_list("recipient__username", flat=True)) == {
        "psych_cs1",
        "head_1",
    }
    assert set(SMSMessage.objects.filter(text__contains="自伤风险").values_list("phone", flat=True)) == {
        "13900000001",
        "13900000002",
    }
    # the psychologist's home page shows the to-do, their alert list the student
    client.force_login(mh.psych)
    assert "待确认的心理危机预警" in client.get("/").content.decode()
    assert "甲同学" in client.get("/mentalhealth/alerts/").content.decode()
    # a head teacher of another class, not assigned, sees nothing
    client.force_login(mh.head2)
    assert "甲同学" not in client.get("/mentalhealth/alerts/").content.decode()
    assert client.get(f"/mentalhealth/alerts/{alert.pk}/").status_code == 404


def test_a_calm_answer_raises_no_alert(mh):
    services.submit_answers(mh.code[mh.a.pk], *CALM)
    assert not CrisisAlert.objects.exists()
    assert not InboxMessage.objects.filter(title="心理危机预警").exists()


def test_acknowledging_moves_the_case_into_consultation(mh, client):
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    alert = CrisisAlert.objects.get(student=mh.a)
    assert alert.case.state == "found" and alert.case.responsible_org == mh.tree.school
    client.force_login(mh.head)
    r = client.post(f"/mentalhealth/alerts/{alert.pk}/", {"comment": "已面谈，已通知家长"})
    assert r.status_code == 302
    alert.refresh_from_db()
    alert.case.refresh_from_db()
    assert alert.acknowledged_by == mh.head
    assert alert.case.state == "consult"
    # acknowledged before the deadline: the scan escalates nothing
    scan(timezone.now() + dt.timedelta(hours=3))
    alert.case.refresh_from_db()
    assert alert.case.responsible_org == mh.tree.school


def test_an_unacknowledged_alert_escalates_to_the_county_centre_at_the_deadline(mh, client):
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    alert = CrisisAlert.objects.get(student=mh.a)
    scan(timezone.now() + dt.timedelta(minutes=90))  # before the deadline: a reminder at most
    alert.case.refresh_from_db()
    assert alert.case.responsible_org == mh.tree.school
    scan(timezone.now() + dt.timedelta(hours=2, minutes=5))
    alert.case.refresh_from_db()
    assert alert.case.responsible_org == mh.tree.county
    assert InboxMessage.objects.filter(recipient=mh.centre, title__contains="逾期上报").exists()


def test_nobody_but_the_assigned_professionals_is_told_of_a_crisis(mh):
    from mofang.platform.testing import make_user

    colleague = make_user("psych_2", "psych_teacher", mh.tree.school, full_name="另一位心理老师")
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    told = set(InboxMessage.objects.values_list("recipient__username", flat=True))
    assert told == {"psych_cs1", "head_1"}
    assert colleague.username not in told


def test_a_crisis_case_is_read_only_on_the_modules_audited_page_never_on_the_generic_case_pages(mh, client):
    """The engine's messages link to /cases/<id>/: whoever may open the case is sent to the module's
    page (one audit row per read); the generic lists, API and queue never show it; others get 404."""
    from mofang.platform.audit.models import AuditEntry

    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    case = CrisisAlert.objects.get(student=mh.a).case

    def opened_on_the_module_page(user):
        client.force_login(user)
        reads = AuditEntry.objects.filter(actor=user, summary="查看心理危机个案").count()
        r = client.get(f"/cases/{case.pk}/", follow=True)
        assert r.redirect_chain == [(f"/mentalhealth/cases/{case.pk}/", 302)] and r.status_code == 200
        assert AuditEntry.objects.filter(actor=user, summary="查看心理危机个案").count() == reads + 1
        assert case.number not in client.get("/cases/").content.decode()
        assert case.number not in client.get("/api/cases/").content.decode()

    opened_on_the_module_page(mh.psych)
    scan(timezone.now() + dt.timedelta(hours=2, minutes=5))  # escalated: the county centre holds it
    opened_on_the_module_page(mh.centre)
    for user in (mh.head2, mh.other_psych, mh.county, mh.principal):
        client.force_login(user)
        assert client.get(f"/cases/{case.pk}/").status_code == 404
