"""教育资源 in Chromium: a teacher uploads courseware on a phone (390×844) — a missing title is named
in Chinese, then it is submitted for review; the county's reviewer publishes it on a desk
(1366×768), asked first; a parent finds it on a phone by pinyin initials, opens the courseware
(one view) and likes it (one like), the counts shown on the page."""

import pytest
from django.test import Client

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import build_tree, make_user
from mofang.resources.lessons.models import Lesson, LessonLike, Status

from .conftest import login
from .walk import VISIBLE_TEXT_JS, english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _phone_as(browser, live_server, user):
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    client = Client()
    client.force_login(user)
    ctx.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = ctx.new_page()
    page.set_default_timeout(15000)
    return ctx, page


def test_a_lesson_goes_from_the_teachers_phone_through_review_to_a_parents_like(browser, live_server):
    sync_roles()
    tree = build_tree()
    teacher = make_user("teacher_cs1b", "teacher", tree.school, full_name="王老师")
    make_user("admin_cs", "county_admin", tree.county, full_name="县教育局")
    parent = make_user("parent_cs1", "parent", tree.school, full_name="张妈妈")
    contexts = []
    try:
        ctx, phone = _phone_as(browser, live_server, teacher)
        contexts.append(ctx)
        phone.goto("/lessons/new/")
        phone.select_option("#f_subject", "数学")
        phone.select_option("#f_grade", "1")
        phone.fill("#f_minutes", "40")
        phone.set_input_files("#f_media", {"name": "认识钟表.pdf", "mimeType": "application/pdf", "buffer": PDF})
        phone.get_by_role("button", name="提交审核").click()
        phone.wait_for_selector("text=请填写标题")
        assert not Lesson.objects.exists()
        phone.fill("#f_title", "认识钟表")
        phone.set_input_files("#f_media", {"name": "认识钟表.pdf", "mimeType": "application/pdf", "buffer": PDF})
        phone.get_by_role("button", name="提交审核").click()
        phone.wait_for_selector("text=待审核")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.screenshot(path="/tmp/lessons-upload-390.png")

        desk_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESK)
        contexts.append(desk_ctx)
        desk = desk_ctx.new_page()
        desk.set_default_timeout(15000)
        login(desk, "admin_cs")
        asked = []
        desk.on("dialog", lambda d: (asked.append(d.message), d.accept()))
        desk.goto("/lessons/review/")
        desk.get_by_role("link", name="认识钟表").click()
        desk.get_by_role("button", name="发布").click()
        desk.wait_for_selector("text=观看")
        assert asked and "全市学校均可观看" in asked[-1]
        assert Lesson.objects.get().status == Status.PUBLISHED
        assert english_words(desk.evaluate(VISIBLE_TEXT_JS), {"admin_cs"}) == []

        ctx, phone = _phone_as(browser, live_server, parent)
        contexts.append(ctx)
        phone.goto("/lessons/")
        phone.fill("#ls-q", "rszb")
        phone.wait_for_selector("#ls-count:has-text('共 1 个资源')")
        phone.get_by_role("link", name="认识钟表").click()
        with phone.expect_popup() as popup:
            phone.get_by_role("link", name="打开课件").click()
        popup.value.close()
        phone.get_by_role("button", name="点赞").click()
        phone.wait_for_selector("#ls-like:has-text('已点赞')")
        phone.reload()
        phone.wait_for_selector("#ls-views:has-text('1')")
        assert phone.locator("#ls-likes").inner_text() == "1"
        assert LessonLike.objects.filter(user=parent).count() == 1
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.screenshot(path="/tmp/lessons-parent-390.png")
        assert english_words(phone.evaluate(VISIBLE_TEXT_JS), {"parent_cs1"}) == []
    finally:
        for c in contexts:
            c.close()
