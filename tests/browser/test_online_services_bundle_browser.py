"""一件事 in Chromium (issue 16): a parent on a phone (390×844) applies for 转学一件事 with one form —
the child's identity, guardianship and roll shown filled in by the platform, not asked — and sees
one bundle status with each step's; the sending school and the receiving school handle the transfer
on their desks (1366×768); only then is the new school's 学籍证明 applied for (by the bundle), the
receiving school issues it, and the parent sees every step 已办结."""

import re

import pytest

from mofang.governance.online_services.models import BundleApplication
from mofang.governance.online_services.testing import bundle, parent_of, second_school
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import build_tree, make_user

from .conftest import login
from .test_online_services_browser import DESK, PHONE, _context, _fits, _handle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _steps(phone) -> list[str]:
    return [s.strip() for s in phone.locator(".bundle-step .step-state").all_inner_texts()]


def test_a_parent_applies_for_a_transfer_bundle_and_follows_each_step(browser, live_server):
    sync_roles()
    tree = build_tree()
    bundle("transfer_bundle")
    target = second_school(tree.county, "常山县第二小学", "3308220002")
    parent, child = parent_of(tree.school, "一件事", child_name="周小舟")
    child.set_id_number("330822201503151234")
    child.save()
    make_user("cs1_school", "academic", tree.school, full_name="一小教务")
    make_user("cs2_school", "academic", target, full_name="二小教务")

    ctx, phone = _context(browser, live_server, PHONE)
    login(phone, parent.username)
    phone.goto("/online_services/mine/")
    assert _fits(phone)
    phone.click("a.bundle-offer[href$='/bundles/apply/transfer_bundle/']")
    # one form: what the platform holds is shown, not asked; the certificate's 用途 is filled in
    held = phone.locator("#bundle-held").inner_text()
    assert "周小舟" in held and "1234" in held and "父亲" in held and "常山县第一小学" in held
    assert phone.locator("select[name=用途]").count() == 0 and phone.locator("input[type=file]").count() == 1
    assert _fits(phone)
    # a bad submit names the field and writes nothing
    phone.fill("input[name=school_q]", "第二")
    phone.click("#school-search button")
    phone.select_option("select[name=target_school]", label="常山县第二小学")
    phone.click("#submit-bundle")
    assert "转学原因：请填写" in phone.locator(".errorlist").inner_text()
    assert not BundleApplication.objects.exists()
    phone.select_option("select[name=target_school]", label="常山县第二小学")
    phone.select_option("select[name=转学原因]", "购房")
    phone.click("#submit-bundle")
    phone.wait_for_url(re.compile(r"/online_services/bundles/\d+/$"))
    assert phone.locator("#bundle-status").inner_text() == "办理中（已办结0项，共2项）"
    assert _steps(phone) == ["待转出学校受理", "等待前一事项办结"]
    assert _fits(phone)
    ba = BundleApplication.objects.get()
    transfer = ba.steps.get(position=1).application

    # the sending school, then the receiving school
    _handle(browser, live_server, "cs1_school", transfer.case.number, "受理", "同意转出")
    desk, dpage = _context(browser, live_server, DESK)  # the handler sees the step belongs to a bundle
    login(dpage, "cs1_school")
    dpage.goto(f"/online_services/desk/{transfer.pk}/")
    assert ba.number in dpage.locator("#desk-bundle").inner_text()
    desk.close()
    phone.reload()
    assert _steps(phone) == ["待转入学校接收", "等待前一事项办结"]
    _handle(browser, live_server, "cs2_school", transfer.case.number, "同意接收并办结")
    phone.reload()
    assert _steps(phone) == ["已办结", "待受理"]
    assert phone.locator("#bundle-status").inner_text() == "办理中（已办结1项，共2项）"

    # the bundle applied for the new school's 学籍证明; the receiving school issues it
    cert = ba.steps.get(position=2).application
    assert cert.case.responsible_org_id == target.pk
    _handle(browser, live_server, "cs2_school", cert.case.number, "受理", "审核通过并办结")
    phone.goto("/online_services/mine/")
    card = phone.locator(".bundle-card").first.inner_text()
    assert "已办结" in card and "学籍证明：已办结" in card
    phone.click(".bundle-card a")
    assert phone.locator("#bundle-status").inner_text() == "已办结"
    assert _steps(phone) == ["已办结", "已办结"]
    assert "验证码" in phone.locator("#bundle-steps").inner_text()
    assert _fits(phone)
    ctx.close()
