"""课后服务 in Chromium: a parent logs in by phone + SMS code, selects two courses that do not clash
and is refused a clashing one; a teacher takes roll call on a phone-sized screen (390×844), the
absent child's guardian is told (inbox and SMS)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.notifications.models import InboxMessage, SMSMessage
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import build_tree, make_staff, make_student, make_user
from mofang.resources.afterschool import services

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13905718888"


def _school():
    sync_roles()
    tree = build_tree()
    academic = make_user("jw_cs1", "academic", tree.school, full_name="教务")
    teacher_user = make_user("ls_cs1", "teacher", tree.school, full_name="王丽华")
    teacher = make_staff(tree.school, "王丽华", user=teacher_user)
    child = make_student(tree.school, "张小明", klass=tree.klass)
    guardian = Guardian(name="张妈妈")
    guardian.set_phone(PHONE)
    guardian.save()
    Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
    now, today = timezone.now(), timezone.localdate()
    term = services.create_term(
        tree.school,
        name="2026年秋季学期",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
        max_courses=3,
        acting_user=academic,
    )
    mk = lambda name, weekday, p1, p2, place: services.publish_course(  # noqa: E731
        term,
        name=name,
        weekday=weekday,
        period_from=p1,
        period_to=p2,
        place=place,
        capacity=30,
        teacher=teacher,
        acting_user=academic,
    )
    courses = {
        "丛林穿越": mk("丛林穿越", 1, 1, 2, "操场"),
        "鲁班学艺": mk("鲁班学艺", 1, 2, 2, "木工坊"),
        "未来工程师": mk("未来工程师", 3, 1, 1, "科创室"),
    }
    return tree, child, courses


def test_parent_selects_two_courses_and_is_refused_a_clash(page):
    _tree, child, courses = _school()
    page.goto("/accounts/phone/?next=/afterschool/select/")
    page.fill("#id_phone", PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("#code-sent")
    text = SMSMessage.objects.filter(phone=PHONE).latest("id").text
    page.fill("#id_code", re.search(r"验证码为(\d{6})", text).group(1))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(rf"/afterschool/select/{child.pk}/"))
    assert "课后服务选课 · 张小明" in page.locator("h1").inner_text()

    def choose(name):
        page.locator(f"#course-{courses[name].pk} button").click()

    choose("丛林穿越")
    page.wait_for_selector("text=已为张小明选上“丛林穿越”")
    choose("未来工程师")
    page.wait_for_selector("text=已为张小明选上“未来工程师”")
    choose("鲁班学艺")
    page.wait_for_selector("text=与已选课程“丛林穿越”上课时间冲突")
    assert page.locator(".held-count").inner_text() == "2"
    assert page.locator(f"#course-{courses['鲁班学艺'].pk} .status").inner_text() == "剩余30个名额"
    assert page.locator(f"#course-{courses['丛林穿越'].pk} .status").inner_text() == "已选上"
    # withdrawing frees the seat, and the clashing course may then be chosen
    page.locator(f"#course-{courses['丛林穿越'].pk} button", has_text="退选").click()
    page.wait_for_selector("text=已退选“丛林穿越”，名额已释放")
    choose("鲁班学艺")
    page.wait_for_selector("text=已为张小明选上“鲁班学艺”")


def test_teacher_takes_roll_call_on_a_phone(browser, live_server):
    _tree, child, courses = _school()
    course = courses["丛林穿越"]
    for kid in ("李小刚", "王小雨"):
        services.select_course(make_student(course.school, kid), course, acting_user=None)
    services.select_course(child, course, acting_user=None)
    today = timezone.localdate()
    day = today - dt.timedelta(days=(today.isoweekday() - course.weekday) % 7)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, "ls_cs1")
        page.goto(f"/afterschool/roll/{course.pk}/?date={day:%Y-%m-%d}")
        rows = page.locator(".as-roll label")
        assert rows.count() == 3
        box = rows.first.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300  # a big touch target, the width of the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
        count = page.locator("#roll-count")
        assert count.inner_text() == "实到 3 · 应到 3 · 缺勤 0"
        assert count.bounding_box()["y"] < rows.first.bounding_box()["y"]  # the count comes first
        # she finds a child by typing part of the name; the others step aside, the count stays whole
        page.fill("#roll-search", "小明")
        expect(page.locator(".as-roll li:visible")).to_have_count(1)
        page.locator(".as-roll label", has_text="张小明").tap()
        assert page.locator(f"#absent-{child.pk}").is_checked()
        expect(count).to_have_text("实到 2 · 应到 3 · 缺勤 1")
        page.fill("#roll-search", "没有这个人")
        expect(page.locator("#roll-no-match")).to_be_visible()
        page.fill("#roll-search", "")
        expect(page.locator(".as-roll li:visible")).to_have_count(3)
        page.locator(".as-submit").tap()
        page.wait_for_selector("text=点名已提交：应到3人，缺勤1人，已通知缺勤学生家长")
        assert page.locator(f"#absent-{child.pk}").is_checked()  # the sheet keeps the marks
        assert count.inner_text() == "实到 2 · 应到 3 · 缺勤 1"  # and the count, from the server
    finally:
        context.close()
    sms = SMSMessage.objects.filter(phone=PHONE).latest("id")
    assert "张小明" in sms.text and "丛林穿越" in sms.text
    assert not InboxMessage.objects.filter(title="课后服务缺勤提醒").exclude(body__contains="张小明").exists()
