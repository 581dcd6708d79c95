"""视力健康 in Chromium: a head teacher enters the class's screening on a desk (1366×768) — a
wrong cell is named in Chinese and nothing is saved, then the corrected sheet is saved; the parent
of the child newly screened as myopic opens the child's vision page on a phone (390×844), result
first, and finds the letter in the inbox."""

import pytest
from django.test import Client

from mofang.governance.vision.models import Letter, Screening
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import build_tree, make_student, make_user

from .conftest import login
from .walk import VISIBLE_TEXT_JS, english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _class():
    sync_roles()
    tree = build_tree()
    head = make_user("head_cs1", "head_teacher", tree.klass, full_name="班主任")
    kids = [make_student(tree.school, name, klass=tree.klass) for name in ("张小明", "李小红", "王小刚")]
    parent = make_user("parent_cs1", "parent", tree.school, full_name="张妈妈")
    guardian = Guardian(name="张妈妈", user=parent)
    guardian.set_phone("13905719999")
    guardian.save()
    Guardianship.objects.create(guardian=guardian, student=kids[0], relation="母亲")
    return tree, head, kids, parent


def test_head_teacher_enters_the_class_and_the_parent_reads_the_letter(browser, live_server):
    tree, head, kids, parent = _class()
    desk_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESK)
    phone_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    try:
        desk = desk_ctx.new_page()
        desk.set_default_timeout(15000)
        login(desk, "head_cs1")
        asked = []
        desk.on("dialog", lambda d: (asked.append(d.message), d.accept()))  # letters cannot be taken back
        desk.goto("/vision/classes/")
        desk.get_by_role("link", name="录入").click()
        desk.wait_for_selector("text=一年级1班 · 视力筛查录入")

        def cell(kid, field):
            return desk.locator(f"input[name='{field}-{kid.pk}']")

        cell(kids[0], "right_acuity").fill("4.8")
        cell(kids[0], "left_acuity").fill("4.9")
        cell(kids[0], "right_sphere").fill("-1.25")
        cell(kids[0], "left_sphere").fill("-0.75")
        for kid in kids[1:]:
            cell(kid, "right_acuity").fill("5.0")
            cell(kid, "left_acuity").fill("5.1")
        cell(kids[1], "right_acuity").fill("5.5")  # a slip of the finger
        desk.get_by_role("button", name="保存全班结果").click()
        desk.wait_for_selector("text=右眼裸眼视力：视力应在4.0～5.3之间（五分记录）")
        desk.wait_for_selector("text=有1处填写有误")
        assert Screening.objects.count() == 0
        desk.screenshot(path="/tmp/vision-class-error-1366.png")

        cell(kids[1], "right_acuity").fill("5.0")
        desk.get_by_role("button", name="保存全班结果").click()
        desk.wait_for_selector("text=已保存3名学生的筛查结果")
        desk.wait_for_selector("text=向1名新筛出近视学生的家长发出告家长书")
        assert asked and "不能撤回" in asked[-1]
        row = desk.locator(f"tr[data-student='{kids[0].pk}']")
        assert "筛查性近视" in row.inner_text() and "低度近视" in row.inner_text()
        assert Letter.objects.count() == 1
        desk.screenshot(path="/tmp/vision-class-saved-1366.png")
        assert english_words(desk.evaluate(VISIBLE_TEXT_JS), {"head_cs1"}) == []

        # the parent, on a phone (parents sign in by SMS code: the session is handed over)
        client = Client()
        client.force_login(parent)
        phone_ctx.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        phone = phone_ctx.new_page()
        phone.set_default_timeout(15000)
        phone.goto("/vision/my/")
        card = phone.locator(f"article[data-child='{kids[0].pk}']")
        text = card.inner_text()
        assert "张小明" in text and "李小红" not in phone.content()
        assert text.index("筛查性近视") < text.index("右眼"), "the result comes first"
        assert "户外活动2小时" in text
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.screenshot(path="/tmp/vision-my-390.png")
        assert english_words(phone.evaluate(VISIBLE_TEXT_JS), {"parent_cs1"}) == []
        phone.goto("/inbox/")
        phone.wait_for_selector("text=张小明视力筛查告家长书")
    finally:
        desk_ctx.close()
        phone_ctx.close()
