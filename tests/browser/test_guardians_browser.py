"""绑定孩子 in Chromium: a parent (like the demo's parent_cs1) logs in by phone + SMS code on a
phone-sized screen (390×844) and binds a second child whom the school registered with another
phone; the request waits; the class teacher (1366×768) confirms it from the to-do; the parent
then sees both children."""

import re

import pytest

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import build_tree, make_student, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13905716666"


def _class_with_two_children():
    sync_roles()
    tree = build_tree()
    make_user("head_cs1", "head_teacher", tree.klass, full_name="班主任")
    first = make_student(tree.school, "张小明", klass=tree.klass)
    second = make_student(tree.school, "张小雨", klass=tree.klass, sex="F")
    mother = Guardian(name="张妈妈")
    mother.set_phone(PHONE)
    mother.save()
    Guardianship.objects.create(guardian=mother, student=first, relation="母亲")
    father = Guardian(name="张爸爸")  # the school registered the second child with the father's phone
    father.set_phone("13905717777")
    father.save()
    Guardianship.objects.create(guardian=father, student=second, relation="父亲")
    return tree, first, second


def _phone_login(page):
    page.goto("/accounts/phone/?next=/people/bind/")
    page.fill("#id_phone", PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("#code-sent")
    text = SMSMessage.objects.filter(phone=PHONE).latest("id").text
    page.fill("#id_code", re.search(r"验证码为(\d{6})", text).group(1))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(r"/people/bind/"))


def test_parent_binds_a_second_child_the_class_teacher_confirms(browser, live_server):
    _tree, first, second = _class_with_two_children()
    phone = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    desk = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 768})
    try:
        parent = phone.new_page()
        parent.set_default_timeout(15000)
        _phone_login(parent)
        # the imported guardian (this phone) already holds the first child
        assert parent.locator("#my-children .child .name").all_inner_texts() == [first.name]
        parent.fill("#id_number", second.student_no)
        parent.fill("#id_child_name", second.name)
        parent.fill("#id_parent_name", "张妈妈")
        parent.select_option("#id_relation", "母亲")
        parent.get_by_role("button", name="绑定", exact=True).tap()
        parent.wait_for_selector("text=已提交绑定张小雨的申请，请等待学校确认")
        assert "待学校确认" in parent.locator("#my-requests").inner_text()
        assert parent.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        parent.screenshot(path="/tmp/guardians-bind-390.png", full_page=True)

        teacher = desk.new_page()
        teacher.set_default_timeout(15000)
        login(teacher, "head_cs1")
        teacher.goto("/")
        teacher.get_by_text("待确认的家长绑定申请").click()
        teacher.wait_for_url(re.compile(r"/people/bindings/"))
        row = teacher.locator(".binding-row", has_text="张小雨")
        assert "张妈妈" in row.inner_text() and "139****6666" in row.inner_text()
        assert teacher.evaluate("document.documentElement.scrollWidth") <= 1366
        teacher.screenshot(path="/tmp/guardians-bindings-1366.png")
        teacher.on("dialog", lambda d: d.accept())  # the confirmation question before binding
        row.get_by_role("button", name="确认绑定").click()
        teacher.wait_for_selector("text=暂无数据")

        parent.goto("/people/bind/")
        assert sorted(parent.locator("#my-children .child .name").all_inner_texts()) == ["张小明", "张小雨"]
        parent.goto("/inbox/")
        parent.wait_for_selector("text=绑定成功：张小雨")
    finally:
        phone.close()
        desk.close()
