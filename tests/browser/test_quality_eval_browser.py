"""综合素质评价 in Chromium: a parent enters a record for the child on a phone (390×844) — a form
missing its dimension and title is refused with each field named in Chinese and nothing saved; the
corrected one with a photo goes to the 班主任, who approves it on a desk."""

import base64

import pytest
from django.test import Client

from mofang.governance.quality_eval.models import Evidence, Record
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import build_tree, make_student, make_user

from .conftest import login
from .walk import VISIBLE_TEXT_JS, english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_parent_enters_a_record_on_a_phone_and_the_head_teacher_approves_it(browser, live_server, tmp_path):
    sync_roles()
    tree = build_tree()
    make_user("head_cs1", "head_teacher", tree.klass, full_name="班主任")
    child = make_student(tree.school, "张小明", klass=tree.klass)
    make_student(tree.school, "李小红", klass=tree.klass)
    parent = make_user("parent_cs1", "parent", tree.school, full_name="张妈妈")
    guardian = Guardian(name="张妈妈", user=parent)
    guardian.set_phone("13905719999")
    guardian.save()
    Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
    photo = tmp_path / "游泳证书.png"
    photo.write_bytes(PNG)

    phone_ctx = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    desk_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 768})
    try:
        # parents sign in by SMS code: the session is handed over
        client = Client()
        client.force_login(parent)
        phone_ctx.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        phone = phone_ctx.new_page()
        phone.set_default_timeout(15000)
        phone.goto("/quality_eval/my/")
        assert "李小红" not in phone.content()
        phone.get_by_role("link", name="为张小明填报一条记录").tap()
        phone.wait_for_selector("text=张小明 · 填报综合素质评价")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        choice = phone.locator(".qe-dim-choice").first.bounding_box()
        assert choice["height"] >= 40  # a touch target, not a bare radio dot
        assert english_words(phone.evaluate(VISIBLE_TEXT_JS), {"parent_cs1"}) == []

        # sent without a dimension and a title: both named, nothing saved
        phone.locator("#qe-submit").tap()
        phone.wait_for_selector("text=请选择评价维度（德、智、体、美、劳）")
        phone.wait_for_selector("text=请填写标题")
        assert Record.objects.count() == 0
        phone.screenshot(path="/tmp/quality-eval-entry-error-390.png")

        phone.locator(".qe-dim-choice", has_text="体").tap()
        phone.select_option("select[name=kind]", "sports_skill")
        phone.fill("input[name=title]", "学会游泳（蛙泳50米）")
        phone.fill("textarea[name=description]", "暑假在县游泳馆学会蛙泳")
        phone.set_input_files("input[name=files]", str(photo))
        phone.locator("#qe-submit").tap()
        phone.wait_for_selector("h1:has-text('学会游泳（蛙泳50米）')")
        assert "待审核" in phone.content()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.screenshot(path="/tmp/quality-eval-record-390.png")
        rec = Record.objects.get()
        assert (rec.student_id, rec.dimension, rec.kind, rec.source, rec.status) == (
            child.pk,
            "physical",
            "sports_skill",
            "parent",
            "submitted",
        )
        assert Evidence.objects.get(record=rec).content_type == "image/png"

        # the 班主任 approves it on a desk; the parent sees it approved
        desk = desk_ctx.new_page()
        desk.set_default_timeout(15000)
        login(desk, "head_cs1")
        desk.goto(f"/quality_eval/classes/{tree.klass.pk}/")
        desk.locator(f"tr[data-record='{rec.pk}'] button", has_text="通过").click()
        desk.wait_for_selector(f"tr[data-record='{rec.pk}'] >> text=已通过")
        assert english_words(desk.evaluate(VISIBLE_TEXT_JS), {"head_cs1"}) == []
        phone.goto("/quality_eval/my/")
        phone.wait_for_selector("text=已通过")
    finally:
        phone_ctx.close()
        desk_ctx.close()
