"""The crisis case loop 发现 → 咨询 → 干预 → 救援 → 帮扶 → 诊疗 → 回访 → 结案, hospital referral
(教医联动) and hotline calls (心理热线), each opening audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.mentalhealth import services
from mofang.governance.mentalhealth.models import CrisisAlert, HotlineCall
from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases.models import Case

from .conftest import CRISIS


@pytest.fixture
def case(mh):
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    alert = CrisisAlert.objects.get(student=mh.a)
    services.acknowledge(alert, acting_user=mh.psych, comment="已面谈")
    return Case.objects.get(pk=alert.case_id)


def test_the_psychologist_walks_the_loop_to_the_end_with_a_hospital_referral(mh, case, client):
    client.force_login(mh.psych)
    page = client.get(f"/mentalhealth/cases/{case.pk}/").content.decode()
    assert "咨询" in page and "进入干预" in page
    assert (
        client.post(f"/mentalhealth/cases/{case.pk}/", {"action": "intervene", "comment": "每周面谈"}).status_code
        == 302
    )
    r = client.post(
        f"/mentalhealth/cases/{case.pk}/",
        {"action": "refer", "hospital": "衢州市第三医院", "department": "儿童青少年心理科"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "treat"
    (ref,) = services.referrals_of(case)
    assert ref.hospital == "衢州市第三医院" and ref.referred_by == mh.psych
    today = timezone.localdate().isoformat()
    client.post(
        f"/mentalhealth/cases/{case.pk}/",
        {"action": "outcome", "referral": ref.pk, "outcome": "门诊随访，药物治疗", "outcome_on": today},
    )
    ref.refresh_from_db()
    assert ref.outcome == "门诊随访，药物治疗"
    client.post(f"/mentalhealth/cases/{case.pk}/", {"action": "followup", "comment": "返校后每月回访"})
    client.post(f"/mentalhealth/cases/{case.pk}/", {"action": "close", "comment": "三个月回访稳定"})
    case.refresh_from_db()
    assert case.state == "closed"
    assert [e.to_state for e in case.events.order_by("at", "pk") if e.to_state] == [
        "found",
        "consult",
        "intervene",
        "treat",
        "followup",
        "closed",
    ]


def test_a_step_without_a_comment_is_refused_in_chinese(mh, case, client):
    client.force_login(mh.psych)
    r = client.post(f"/mentalhealth/cases/{case.pk}/", {"action": "intervene", "comment": ""})
    assert r.status_code == 400 and "须填写意见" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "consult"
    r = client.post(f"/mentalhealth/cases/{case.pk}/", {"action": "refer", "hospital": ""})
    assert r.status_code == 400 and "请填写转介医院" in r.content.decode()


def test_the_case_is_closed_to_everyone_not_assigned(mh, case, client):
    for user in (mh.head2, mh.principal, mh.county, mh.other_psych):
        client.force_login(user)
        assert client.get(f"/mentalhealth/cases/{case.pk}/").status_code == 404
    client.force_login(mh.head)  # assigned head teacher: may read, may not act on the loop
    page = client.get(f"/mentalhealth/cases/{case.pk}/").content.decode()
    assert case.number in page and "进入干预" not in page
    client.force_login(mh.centre)
    assert client.get(f"/mentalhealth/cases/{case.pk}/").status_code == 200


def test_every_opening_of_a_case_is_audited(mh, case, client):
    client.force_login(mh.head)
    client.get(f"/mentalhealth/cases/{case.pk}/")
    assert (
        AuditEntry.objects.filter(
            action="reveal", object_type="cases.Case", object_id=str(case.pk), actor=mh.head
        ).count()
        == 1
    )


def test_a_crisis_call_opens_a_case_and_a_later_call_links_to_it(mh, client):
    client.force_login(mh.centre)
    at = (timezone.localtime() - dt.timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M")
    data = {
        "org": mh.tree.county.pk,
        "called_at": at,
        "caller_kind": "parent",
        "summary": "孩子说不想活了",
        "risk": "crisis",
        "student_no": mh.b.student_no,
    }
    r = client.post("/mentalhealth/hotline/new/", data)
    assert r.status_code == 302
    call = HotlineCall.objects.get()
    assert call.case is not None and call.case.responsible_org == mh.tree.school and call.student == mh.b
    again = client.post(
        "/mentalhealth/hotline/new/", data | {"risk": "medium", "summary": "回访来电", "case_number": call.case.number}
    )
    assert again.status_code == 302
    assert HotlineCall.objects.filter(case=call.case).count() == 2
    assert Case.objects.filter(case_type="mentalhealth.crisis").count() == 1
    assert "孩子说不想活了" in client.get(f"/mentalhealth/hotline/{call.pk}/").content.decode()
    assert AuditEntry.objects.filter(
        action="reveal", object_type="mentalhealth.HotlineCall", object_id=str(call.pk)
    ).exists()
    # 乙's psychologist is assigned: reads the call; the principal does not
    client.force_login(mh.psych)
    assert client.get(f"/mentalhealth/hotline/{call.pk}/").status_code == 200
    client.force_login(mh.principal)
    assert client.get(f"/mentalhealth/hotline/{call.pk}/").status_code == 404


def test_a_hotline_call_is_refused_field_by_field(mh):
    with pytest.raises(ValidationError, match="请填写通话摘要"):
        services.record_hotline_call(
            mh.tree.county,
            called_at=timezone.now(),
            caller_kind="parent",
            summary="",
            risk="low",
            acting_user=mh.centre,
        )
    with pytest.raises(ValidationError, match="个案编号不存在"):
        services.record_hotline_call(
            mh.tree.county,
            called_at=timezone.now(),
            caller_kind="parent",
            summary="咨询",
            risk="low",
            case_number="XL0",
            acting_user=mh.centre,
        )
    with pytest.raises(ValidationError, match="没有在"):
        services.record_hotline_call(
            mh.tree.county,
            called_at=timezone.now(),
            caller_kind="parent",
            summary="咨询",
            risk="low",
            acting_user=mh.psych,
        )
    assert not HotlineCall.objects.exists()
