"""心理健康护航 in Chromium: a parent answers the screening on a phone (390×844) with the one-time
code, positive on the self-harm item; then the assigned psychologist logs in and the crisis alert
is already in the inbox and on the alert list — raised in the same request as the answer. A head
teacher not assigned to the child finds nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mofang.governance.mentalhealth import services
from mofang.governance.mentalhealth.models import CareRole, CrisisAlert
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.testing import add, build_tree, make_student, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _school():
    sync_roles()
    tree = build_tree()
    principal = make_user("xz_cs1", "principal", tree.school, full_name="校长")
    psych = make_user("psych_b1", "psych_teacher", tree.school, full_name="心理老师")
    psych.phone = "13900000011"
    psych.save(update_fields=["phone"])
    klass2 = add(OrgUnit.objects.get(path=tree.klass.path[:-4]), "一年级2班", OrgKind.CLASS)
    other_head = make_user("head_b2", "head_teacher", klass2, full_name="二班班主任")
    child = make_student(tree.school, "林小雨", klass=tree.klass)
    services.assign(child, psych, CareRole.PSYCHOLOGIST, acting_user=principal)
    today = timezone.localdate()
    campaign = services.create_campaign(
        tree.school,
        term="2026-2027学年第一学期",
        title="秋季心理筛查",
        opens_on=today,
        closes_on=today + dt.timedelta(days=7),
        acting_user=psych,
    )
    return campaign.screenings.get(student=child).code, other_head


def test_a_positive_crisis_answer_on_a_phone_reaches_the_psychologists_inbox(browser, live_server):
    code, _ = _school()
    phone = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto("/mentalhealth/answer/")
    page.fill("#f_code", code.lower())  # typed as it comes, the code is case-insensitive
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("心理健康筛查")
    expect(page.get_by_text("请根据孩子近两周的表现作答")).to_be_visible()
    # the questionnaire fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for i in range(1, 10):
        value = "1" if i in (1, 2, 9) else "0"  # item 9 (self-harm): 好几天
        page.locator(f"input[name=phq9_{i}][value='{value}']").check()
    for i in range(1, 8):
        page.locator(f"input[name=gad7_{i}][value='0']").check()
    page.once("dialog", lambda d: d.accept())  # 提交后不能修改，确定提交吗？
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("提交成功，谢谢你")
    expect(page.get_by_text("12356")).to_be_visible()
    phone.close()

    assert CrisisAlert.objects.count() == 1  # raised by the answer's own request
    desk = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = desk.new_page()
    page.set_default_timeout(15000)
    login(page, "psych_b1")
    page.goto("/inbox/")
    expect(page.get_by_text("心理危机预警").first).to_be_visible()
    page.goto("/mentalhealth/alerts/")
    expect(page.get_by_role("link", name="林小雨")).to_be_visible()
    page.get_by_role("link", name="林小雨").click()
    expect(page.get_by_text("本次查看已记入审计日志")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.fill("#f_comment", "已与家长通话，明日面谈")
    page.click("text=确认预警")
    expect(page.get_by_text("已确认预警")).to_be_visible()
    assert CrisisAlert.objects.get().case.state == "consult"
    desk.close()


def test_a_head_teacher_not_assigned_finds_no_alert(browser, live_server):
    code, other_head = _school()
    services.submit_answers(code, [0] * 8 + [2], [0] * 7)
    alert = CrisisAlert.objects.get()
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, other_head.username)
    page.goto("/mentalhealth/alerts/")
    expect(page.get_by_text("林小雨")).to_have_count(0)
    response = page.goto(f"/mentalhealth/alerts/{alert.pk}/")
    assert response.status == 404
    context.close()
