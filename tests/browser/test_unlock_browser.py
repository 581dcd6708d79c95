"""短信验证解锁 in Chromium (issue 13), on a phone (390×844) and at a bureau desk (1366×768): a county
administrator mistypes the password five times, the locked page offers 短信验证解锁, the username is
filled in, the code arrives by SMS, the account is unlocked and the right password logs in."""

import re

import pytest
from django.conf import settings

from mofang.platform.accounts.models import User
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.audit.models import AuditEntry
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import build_tree, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13905718888"
PHONE_VIEW = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK_VIEW = {"viewport": {"width": 1366, "height": 768}}


def _sign_in(page, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", "admin_cs")
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("view", [PHONE_VIEW, DESK_VIEW], ids=["phone-390", "desk-1366"])
def test_a_locked_administrator_unlocks_by_sms_code_and_logs_in(browser, live_server, view):
    sync_roles()
    tree = build_tree()
    admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    admin.phone = PHONE
    admin.save(update_fields=["phone"])
    width = view["viewport"]["width"]
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **view)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(page, "wrong-password")
        _sign_in(page, "Mofang#2026")  # the right password: locked all the same
        page.wait_for_selector("text=账号已临时锁定")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        page.get_by_role("link", name="短信验证解锁").click()
        page.wait_for_url(re.compile(r"/accounts/unlock/\?account=admin_cs"))
        assert page.input_value("#id_account") == "admin_cs"
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_selector("#code-sent")
        text = SMSMessage.objects.filter(phone=PHONE).latest("id").text
        page.fill("#id_code", re.search(r"验证码为(\d{6})", text).group(1))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"/tmp/unlock-code-{width}.png", full_page=True)
        page.get_by_role("button", name="验证并解锁").click()
        page.wait_for_selector("#unlocked")
        assert AuditEntry.objects.filter(actor=admin, summary__contains="通过短信验证码解锁").count() == 1

        page.get_by_role("link", name="去登录").click()
        page.wait_for_url(re.compile(r"/accounts/login/"))
        _sign_in(page, "Mofang#2026")
        page.wait_for_url(re.compile(r"/$"))
        assert User.objects.get(pk=admin.pk).last_login is not None
    finally:
        context.close()
