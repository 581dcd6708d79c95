"""Every posted page of 教育督导 refuses bad input through its form: a missing field, a wrong type, a
value out of range or a NUL character is a 400 whose Chinese message names the field, and nothing
is written (no row, no audit entry)."""

import datetime as dt

import pytest
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import Checklist, ChecklistItem, Inspector, Rectification, Visit
from mofang.platform.audit.models import AuditEntry

from .conftest import visit_with_problem


def login(client, user):
    client.force_login(user)
    return client


def _refused(resp, message: str):
    body = resp.content.decode()
    assert 400 <= resp.status_code < 500, resp.status_code
    assert message in body, body[:3000]


def _visit_data(sup, **changes) -> dict:
    items = services.checklist_items(sup.checklist)
    data = {
        "school": str(sup.tree.school.pk),
        "visited_on": timezone.localdate().isoformat(),
        "checklist": sup.checklist.pk,
    }
    data.update({f"item_{i.pk}": "ok" for i in items})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"school": None}, "学校：请选择要督查的学校"),
        ({"school": "abc"}, "学校：请选择要督查的学校"),
        ({"visited_on": "昨天"}, "督查日期：请填写有效日期（年-月-日）"),
        ({"visited_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "督查日期：不能晚于今天"),
        ({"summary": "总体\x00良好"}, "总体情况：含有非法字符（NUL）"),
        ({"summary": "长" * 5001}, "总体情况：不能超过5000字"),
        ({"checklist": "999999"}, "督查清单：请从给定选项中选择"),
    ],
)
def test_a_bad_visit_is_refused_naming_the_field(client, sup, changes, message):
    login(client, sup.inspector_user)
    before = AuditEntry.objects.count()
    _refused(client.post("/supervision/visits/new/", _visit_data(sup, **changes)), message)
    assert not Visit.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_bad_checklist_answer_is_refused_naming_the_item(client, sup):
    login(client, sup.inspector_user)
    first, second = services.checklist_items(sup.checklist)[:2]
    resp = client.post(
        "/supervision/visits/new/",
        _visit_data(sup, **{f"item_{first.pk}": None, f"item_{second.pk}": "problem", f"note_{second.pk}": "a\x00"}),
    )
    _refused(resp, f"第1项「{first.text}」请选择符合或存在问题")
    _refused(resp, "第2项问题说明：含有非法字符（NUL）")
    assert not Visit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"term_days": "30"}, "整改内容：请填写整改内容"),
        ({"content": "整改", "term_days": "三十"}, "整改期限：只能是7、15、30、60、90天"),
        ({"content": "整改", "term_days": "45"}, "整改期限：只能是7、15、30、60、90天"),
        ({"content": "整改", "term_days": "30", "recheck_days": "400"}, "回头看间隔：须在1到365天之间"),
        ({"content": "整改", "term_days": "30", "recheck_days": "九十"}, "回头看间隔：须在1到365天之间"),
        ({"content": "整\x00改", "term_days": "30"}, "整改内容：含有非法字符（NUL）"),
    ],
)
def test_a_bad_notice_is_refused_naming_the_field(client, sup, data, message):
    finding = visit_with_problem(sup).findings.get()
    login(client, sup.inspector_user)
    before = AuditEntry.objects.count()
    _refused(client.post(f"/supervision/findings/{finding.pk}/notice/", data), message)
    assert not Rectification.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "操作：未知操作"),
        ({"action": "explode"}, "操作：未知操作"),
        ({"action": "reply", "comment": "已\x00整改"}, "整改情况：含有非法字符（NUL）"),
        ({"action": "reply", "comment": "长" * 5001}, "整改情况：不能超过5000字"),
    ],
)
def test_a_bad_rectification_action_is_refused_naming_the_field(client, sup, data, message):
    finding = visit_with_problem(sup).findings.get()
    rect = services.issue_notice(finding, content="整改", term_days=7, acting_user=sup.inspector_user)
    login(client, sup.principal)
    before = AuditEntry.objects.count()
    _refused(client.post(f"/supervision/rectifications/{rect.pk}/", data), message)
    rect.case.refresh_from_db()
    assert rect.case.state_label == "待整改" and AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_bad_publication_is_refused_naming_the_field(client, sup):
    finding = visit_with_problem(sup).findings.get()
    rect = services.issue_notice(finding, content="整改", term_days=7, acting_user=sup.inspector_user)
    services.reply(rect, comment="已整改", acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user)
    login(client, sup.admin)
    for summary, message in (
        ("长" * 2001, "公开的整改情况：不能超过2000字"),
        ("公开\x00", "公开的整改情况：含有非法字符"),
    ):
        _refused(
            client.post(f"/supervision/rectifications/{rect.pk}/", {"action": "publish", "summary": summary}), message
        )
    rect.refresh_from_db()
    assert not rect.published


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"source": "x"}, "清单名称：请填写"),
        ({"name": "春季\x00检查"}, "清单名称：含有非法字符（NUL）"),
        ({"name": "春季检查", "source": "长" * 201}, "来源说明：不能超过200字"),
        ({"name": "春季检查", "county": "常山"}, "区县：请选择区县"),
    ],
)
def test_a_bad_new_checklist_is_refused_naming_the_field(client, sup, data, message):
    login(client, sup.admin)
    before = AuditEntry.objects.count()
    _refused(client.post("/supervision/checklists/new/", data), message)
    assert not Checklist.objects.filter(county=sup.tree.county).exists() and AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_bad_checklist_change_is_refused_naming_the_field(client, sup):
    login(client, sup.admin)
    cl = Checklist.objects.create(code="t1", name="本县清单", county=sup.tree.county)
    item = ChecklistItem.objects.create(checklist=cl, order=1, text="甲")
    before = AuditEntry.objects.count()
    for data, message in (
        ({"text": "乙"}, "操作：未知操作"),
        ({"action": "rename", "name": ""}, "清单名称：请填写"),
        ({"action": "add", "text": "晨\x00检"}, "督查内容：含有非法字符（NUL）"),
        ({"action": "edit", "item": "第一项", "text": "乙"}, "条目：该条目不存在"),
        ({"action": "edit", "item": "-1", "text": "乙"}, "条目：该条目不存在"),
        ({"action": "remove"}, "条目：该条目不存在"),
        ({"action": "add", "text": "长" * 201}, "督查内容：不能超过200字"),
    ):
        _refused(client.post(f"/supervision/checklists/{cl.pk}/", data), message)
    assert list(cl.items.values_list("pk", "text")) == [(item.pk, "甲")]
    cl.refresh_from_db()
    assert cl.name == "本县清单" and AuditEntry.objects.count() == before
    _refused(client.post(f"/supervision/checklists/{sup.checklist.pk}/copy/", {"county": "x\x00"}), "区县：请选择区县")
    assert Checklist.objects.filter(county=sup.tree.county).count() == 1


@pytest.mark.django_db
def test_a_bad_roster_entry_is_refused_naming_the_field(client, sup):
    login(client, sup.admin)
    n, before = Inspector.objects.count(), AuditEntry.objects.count()
    for data, message in (
        ({"name": "李督学"}, "账号：请选择或填写督学的登录账号"),
        ({"username": "dx\x00cs2"}, "账号：含有非法字符（NUL）"),
        ({"username": "dx_cs2", "name": "长" * 51}, "姓名：不能超过50字"),
        ({"username": "dx_cs2", "county": "abc"}, "区县：请选择区县"),
    ):
        _refused(client.post("/supervision/inspectors/", data), message)
    for data in ({}, {"action": "promote"}, {"action": "deactivate\x00"}):
        _refused(client.post(f"/supervision/inspectors/{sup.inspector.pk}/", data), "操作：未知操作")
    sup.inspector.refresh_from_db()
    assert Inspector.objects.count() == n and sup.inspector.active and AuditEntry.objects.count() == before
