"""The pages as a user meets them: sending with a preview, a school answering (a bad value is a
400 naming the field and stores nothing), the sender's counts and download, forwarding."""

import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from mofang.governance.directives.models import Delivery, Directive

from .conftest import send, week

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="test")
        session = c.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return c


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_preview_then_send_to_all_primary_schools_of_the_county(zl):
    c = client_for(zl.admin)
    form = {
        "title": "关于做好秋季开学工作的通知",
        "body": "请各校做好开学准备。",
        "kind": "notice",
        "deadline": local(week()),
        "use_rule": "1",
        "target_kind": "school",
        "school_types": ["primary", "junior"],
    }
    r = c.post("/directives/new/", {**form, "action": "preview"})
    page = r.content.decode()
    assert r.status_code == 200 and '<strong id="target-count">2</strong>' in page
    assert "常山县第一小学" in page and "常山县第一初级中学" in page and "幼儿园" not in page.split("target-count")[1]
    r = c.post("/directives/new/", {**form, "action": "send"})
    d = Directive.objects.get(title="关于做好秋季开学工作的通知")
    assert r.status_code == 302 and r["Location"] == f"/directives/{d.pk}/"
    assert d.deliveries.count() == 2


def test_send_refuses_bad_input_with_messages_naming_the_field(zl):
    c = client_for(zl.admin)
    r = c.post(
        "/directives/new/",
        {
            "action": "send",
            "title": "",
            "body": "",
            "kind": "notice",
            "deadline": "明天",
            "target_kind": "school",
            "form_spec": "人数|数值",
        },
    )
    page = r.content.decode()
    assert r.status_code == 400
    for words in ("填报表第1行", "标题：请填写标题", "正文：请填写正文", "截止时间：请填写有效的截止时间"):
        assert words in page
    assert not Directive.objects.exists()


def test_school_signs_and_answers_and_a_bad_number_is_a_400(zl):
    d = send(zl, spec="在校学生数|数字|必填\n办学性质|选项|必填|公办,民办")
    delivery = d.deliveries.get(unit=zl.tree.school)
    c = client_for(zl.principal)
    mine = c.get("/directives/deliveries/?mine=1").content.decode()
    assert "关于报送秋季学期学生数的通知" in mine and '<strong class="total-count">1</strong>' in mine
    assert c.post(f"/directives/deliveries/{delivery.pk}/", {"action": "sign"}).status_code == 302
    r = c.post(f"/directives/deliveries/{delivery.pk}/", {"action": "answer", "f_f1": "很多", "f_f2": "公办"})
    assert r.status_code == 400 and "“在校学生数”：请填写数字" in r.content.decode()
    delivery.refresh_from_db()
    assert delivery.answer == {} and delivery.answered_at is None
    r = c.post(f"/directives/deliveries/{delivery.pk}/", {"action": "answer", "f_f1": "1250", "f_f2": "公办"})
    assert r.status_code == 302
    sender = client_for(zl.admin).get(f"/directives/{d.pk}/").content.decode()
    assert '<div class="value" id="n-done">1</div>' in sender
    xlsx = client_for(zl.admin).get(f"/directives/{d.pk}/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert (rows[1][0], rows[1][7], rows[1][8]) == ("常山县第一小学", 1250, "公办")


def test_a_county_admin_cannot_answer_for_a_school(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    delivery = d.deliveries.get(unit=zl.tree.school)
    r = client_for(zl.admin).post(f"/directives/deliveries/{delivery.pk}/", {"action": "answer", "f_f1": "1"})
    assert r.status_code == 403
    assert Delivery.objects.get(pk=delivery.pk).answered_at is None


def test_another_school_sees_nothing(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    delivery = d.deliveries.get(unit=zl.tree.school)
    c = client_for(zl.other_principal)
    assert c.get(f"/directives/deliveries/{delivery.pk}/").status_code == 404
    assert c.get(f"/directives/{d.pk}/").status_code == 404
    assert "关于报送" not in c.get("/directives/deliveries/").content.decode()


def test_county_forwards_the_city_notice_and_the_city_sees_the_chain(zl):
    notice = send(
        zl,
        by=zl.city_admin,
        org=zl.tree.city,
        kind="notice",
        forward_required=True,
        targets=[zl.tree.county, zl.tree.other_county],
        title="关于开展防溺水安全教育的通知",
    )
    county_delivery = notice.deliveries.get(unit=zl.tree.county)
    c = client_for(zl.admin)
    page = c.get(f"/directives/deliveries/{county_delivery.pk}/").content.decode()
    assert "转发至下级单位" in page
    r = c.post(
        f"/directives/deliveries/{county_delivery.pk}/forward/",
        {
            "action": "send",
            "title": notice.title,
            "body": notice.body,
            "deadline": local(notice.deadline),
            "use_rule": "1",
            "target_kind": "school",
        },
    )
    assert r.status_code == 302
    child = Directive.objects.get(parent_delivery=county_delivery)
    assert child.deliveries.count() == 3
    city_page = client_for(zl.city_admin).get(f"/directives/{notice.pk}/").content.decode()
    assert "已转发：0/0/3" in city_page
    # home page 我的待办 for the school
    home = client_for(zl.principal).get("/").content.decode()
    assert "待签收的政令" in home


def test_reminder_button_reports_what_was_sent(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    c = client_for(zl.admin)
    r = c.post(f"/directives/{d.pk}/remind/", follow=True)
    assert "已催办3个未办结单位" in r.content.decode()
    r = c.post(f"/directives/{d.pk}/remind/", follow=True)
    assert "3个单位一小时内已催办" in r.content.decode()


@pytest.mark.parametrize(
    "posted,words",
    [
        ({"f_f1": "12a"}, "“在校学生数”：请填写数字"),
        ({"f_f2": "2026-13-01"}, "“开学日期”：请填写有效日期"),
        ({"f_f3": "私立"}, "“办学性质”：请从给定选项中选择"),
    ],
)
def test_each_bad_value_is_a_400_naming_the_field_and_nothing_is_stored(zl, posted, words):
    d = send(zl, spec="在校学生数|数字|必填\n开学日期|日期\n办学性质|选项|必填|公办,民办")
    delivery = d.deliveries.get(unit=zl.tree.school)
    good = {"action": "answer", "f_f1": "10", "f_f2": "2026-09-01", "f_f3": "公办"}
    r = client_for(zl.principal).post(f"/directives/deliveries/{delivery.pk}/", {**good, **posted})
    assert r.status_code == 400 and words in r.content.decode()
    delivery.refresh_from_db()
    assert delivery.answer == {} and delivery.answered_at is None and delivery.signed_at is None


def test_the_sender_lists_who_has_signed_and_who_has_not(zl):
    d = send(zl, kind="notice")
    from mofang.governance.directives import services

    services.sign(d.deliveries.get(unit=zl.kg), acting_user=zl.kg_principal)
    c = client_for(zl.admin)
    signed = c.get(f"/directives/{d.pk}/?show=signed").content.decode().split('id="units"')[1]
    unsigned = c.get(f"/directives/{d.pk}/?show=unsigned").content.decode().split('id="units"')[1]
    assert "阳光幼儿园" in signed and "第一小学" not in signed
    assert "阳光幼儿园" not in unsigned and "第一小学" in unsigned and "第一初级中学" in unsigned


def test_only_the_units_picked_by_code(zl):
    c = client_for(zl.admin)
    r = c.post(
        "/directives/new/",
        {
            "action": "preview",
            "use_rule": "1",
            "target_kind": "school",
            "only_picks": "1",
            "picks": "3308220002\n常山县第一初级中学",
        },
    )
    page = r.content.decode()
    assert '<strong id="target-count">2</strong>' in page and "阳光幼儿园" in page
    r = c.post("/directives/new/", {"action": "preview", "target_kind": "school", "picks": "3308810001"})
    assert r.status_code == 400 and "第1行“3308810001”不在您的发文范围内" in r.content.decode()
