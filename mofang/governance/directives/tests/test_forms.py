"""Every posted page of 政令一键智达 refuses bad input through its form: a missing field, a wrong
type, a value out of range or a NUL character is a 400 whose Chinese message names the field, and
nothing is written (no directive, no delivery change, no audit entry)."""

import datetime as dt

import pytest
from django.utils import timezone

from mofang.governance.directives.models import Delivery, Directive
from mofang.platform.audit.models import AuditEntry

from .conftest import send, week
from .test_views import client_for, local

pytestmark = pytest.mark.django_db

GOOD = {
    "action": "send",
    "title": "关于做好秋季开学工作的通知",
    "body": "请各校做好开学准备。",
    "kind": "notice",
    "use_rule": "1",
    "target_kind": "school",
}


def _refused(resp, message: str):
    body = resp.content.decode()
    assert 400 <= resp.status_code < 500, resp.status_code
    assert message in body, body[-3000:]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": None}, "标题：请填写标题"),
        ({"title": "长" * 101}, "标题：不能超过100个字"),
        ({"body": "请\x00准备"}, "正文：含有非法字符（NUL）"),
        ({"kind": "order"}, "类别：请选择通知或任务"),
        ({"deadline": "下周一"}, "截止时间：请填写有效的截止时间"),
        ({"deadline": "past"}, "截止时间：必须晚于现在"),
        ({"target_kind": "family"}, "单位类型：请选择学校、部门、区县教育局或市教育局"),
        ({"regions": "常山"}, "地区：请从给定选项中选择"),
        ({"school_types": "college"}, "学校类型：请从给定选项中选择"),
        ({"picks": "3308220001\x00"}, "单独选择的单位：含有非法字符（NUL）"),
        ({"sender_org": "999999"}, "发文单位：请从给定选项中选择"),
        ({"form_spec": "人数|数值"}, "填报表第1行"),
        ({"action": "publish"}, "操作：未知的操作"),
    ],
)
def test_a_bad_directive_is_refused_naming_the_field(zl, changes, message):
    data = {**GOOD, "deadline": local(week())}
    if changes.get("deadline") == "past":
        changes = {"deadline": local(timezone.now() - dt.timedelta(hours=1))}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    before = AuditEntry.objects.count()
    _refused(client_for(zl.admin).post("/directives/new/", data), message)
    assert not Directive.objects.exists() and AuditEntry.objects.count() == before


def test_a_bad_rule_in_a_preview_is_refused_naming_the_field(zl):
    c = client_for(zl.admin)
    _refused(
        c.post("/directives/new/", {"action": "preview", "ownerships": "state\x00"}), "办学性质：请从给定选项中选择"
    )
    _refused(c.post("/directives/new/", {"action": "preview", "use_rule": "maybe"}), "按规则选择：请从给定选项中选择")
    assert not Directive.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "转\x00发"}, "标题：含有非法字符（NUL）"),
        ({"deadline": "2026-02-30T10:00"}, "截止时间：请填写有效的截止时间"),
        ({"deadline": None}, "截止时间：请填写有效的截止时间"),
        ({"copy_form": "2"}, "同时下发上级的填报表：请从给定选项中选择"),
        ({"target_kind": "\x00"}, "单位类型：请选择学校、部门、区县教育局或市教育局"),
    ],
)
def test_a_bad_forward_is_refused_naming_the_field(zl, changes, message):
    notice = send(zl, by=zl.city_admin, org=zl.tree.city, kind="notice", targets=[zl.tree.county])
    county_delivery = notice.deliveries.get(unit=zl.tree.county)
    data = {"action": "send", "deadline": local(notice.deadline), "use_rule": "1", "target_kind": "school"}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    before = AuditEntry.objects.count()
    _refused(client_for(zl.admin).post(f"/directives/deliveries/{county_delivery.pk}/forward/", data), message)
    assert not Directive.objects.filter(parent_delivery=county_delivery).exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "posted, message",
    [
        ({"action": "answer", "f_f1": "12\x00"}, "“在校学生数”：含有非法字符（NUL）"),
        ({"action": "answer", "f_f1": "10", "reply": "长" * 2001}, "回复：不能超过2000字"),
        ({"action": "answer", "f_f1": "10", "reply": "已\x00填"}, "回复：含有非法字符（NUL）"),
        ({"action": "answer"}, "“在校学生数”：必填"),
        ({"action": "delete"}, "操作：未知的操作"),
        ({}, "操作：未知的操作"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field(zl, posted, message):
    d = send(zl, spec="在校学生数|数字|必填")
    delivery = d.deliveries.get(unit=zl.tree.school)
    before = AuditEntry.objects.count()
    _refused(client_for(zl.principal).post(f"/directives/deliveries/{delivery.pk}/", posted), message)
    delivery = Delivery.objects.get(pk=delivery.pk)
    assert delivery.answer == {} and delivery.signed_at is None and AuditEntry.objects.count() == before


def test_a_bad_lock_value_is_refused_naming_the_field(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    _refused(client_for(zl.admin).post(f"/directives/{d.pk}/lock/", {"locked": "yes"}), "锁定填报：请选择锁定或解锁")
    d.refresh_from_db()
    assert not d.locked
