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
