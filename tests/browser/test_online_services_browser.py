"""一网通办 in Chromium (issue 16's proof): a parent applies on a phone (390×844) to transfer their
child to a school in another county; the sending school, the sending county bureau, the receiving
county bureau and the receiving school each agree in turn on their desk pages (1366×768); the
child is then on the new school's roll with the transfer in its history; the parent applies for a
学籍证明, downloads the PDF, and its code verifies on the public page (no login)."""

import re

import pytest
from django.urls import reverse

from mofang.governance.online_services.models import Application, Certificate
from mofang.governance.online_services.testing import parent_of, service
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.people.models import RollEvent, RollStatus
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}


def _context(browser, live_server, viewport):
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda d: d.accept())  # 办结 asks before it acts (data-confirm)
    return ctx, page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _handle(browser, live_server, username: str, number: str, *buttons: str) -> None:
    """A handler opens the desk's 待我单位办理, finds the application and presses the buttons in turn."""
    ctx, page = _context(browser, live_server, DESK)
    try:
        login(page, username)
        page.goto("/online_services/desk/?queue=mine")
        page.click(f"text={number}")
        for label in buttons:
            with page.expect_navigation():
                page.click(f"#desk-actions button:has-text('{label}')")
            assert page.locator("#desk-error").count() == 0, page.locator("#desk-error").inner_text()
            assert page.locator(f"#desk-actions button:has-text('{label}')").count() == 0
    finally:
        ctx.close()


def test_a_cross_county_transfer_and_a_certificate_that_verifies(browser, live_server):
    sync_roles()
    tree = build_tree()
    service("transfer")
    parent, child = parent_of(tree.school, "浏览器", child_name="李小雨")
    make_user("cs_school", "academic", tree.school, full_name="常山教务")
    make_user("cs_bureau", "county_admin", tree.county, full_name="常山县教育局")
    make_user("js_bureau", "county_admin", tree.other_county, full_name="江山市教育局")
    make_user("js_school", "academic", tree.other_school, full_name="江山教务")

    # the parent, on the phone: status first, then the services; apply for 转学 to 江山市实验小学
    ctx, phone = _context(browser, live_server, PHONE)
    login(phone, parent.username)
    phone.goto("/online_services/mine/")
    assert _fits(phone)
    phone.click("a.service-card[href$='/apply/transfer/']")
    phone.fill("input[name=school_q]", "江山")
    phone.click("#school-search button")
    phone.select_option("select[name=target_school]", label="江山市实验小学")
    phone.select_option("select[name=转学原因]", "随迁")
    phone.click("#submit-apply")
    phone.wait_for_url(re.compile(r"/online_services/mine/\d+/$"))
    assert phone.locator(".app-state").first.inner_text().strip() == "待转出学校受理"
    assert _fits(phone)
    app = Application.objects.get()
    number = app.case.number

    # the four units in turn, on their desks
    _handle(browser, live_server, "cs_school", number, "受理", "同意转出")
    _handle(browser, live_server, "cs_bureau", number, "转出地教育局同意")
    _handle(browser, live_server, "js_bureau", number, "转入地教育局同意")
    _handle(browser, live_server, "js_school", number, "同意接收并办结")

    # the child is on the new school's roll, with the transfer in its history
    child.refresh_from_db()
    assert (child.school_id, child.status) == (tree.other_school.pk, RollStatus.ENROLLED)
    kinds = list(RollEvent.objects.filter(student=child).order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["transfer_out", "transfer_in"]
    desk, dpage = _context(browser, live_server, DESK)
    login(dpage, "js_school")
    dpage.goto(reverse("web:student_detail", args=[child.pk]))
    history = dpage.locator("table").last.inner_text()
    assert "转入" in history and "常山县第一小学" in history
    desk.close()

    # the parent sees the result first, then applies for a 学籍证明
    phone.goto("/online_services/mine/")
    assert phone.locator(".app-state").first.inner_text().strip() == "已办结"
    assert "已转入江山市实验小学" in phone.locator(".app-card").first.inner_text()
    phone.click("a.service-card[href$='/apply/roll_certificate/']")
    phone.select_option("select[name=用途]", "升学")
    phone.click("#submit-apply")
    phone.wait_for_url(re.compile(r"/online_services/mine/\d+/$"))
    cert_app = Application.objects.exclude(pk=app.pk).get()
    assert cert_app.case.responsible_org_id == tree.other_school.pk  # the new school certifies
    _handle(browser, live_server, "js_school", cert_app.case.number, "受理", "审核通过并办结")

    phone.reload()
    with phone.expect_download() as dl:
        phone.click("#cert-download")
    path = dl.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    code = phone.locator("#cert-code").inner_text().strip()
    assert code == Certificate.objects.get().code
    ctx.close()

    # anyone may check the code, without signing in
    anon, apage = _context(browser, live_server, PHONE)
    apage.goto("/online_services/verify/")
    apage.fill("input[name=code]", code)
    apage.click("button:has-text('验证')")
    apage.wait_for_selector("#verify-valid")
    assert apage.locator("#verify-name").inner_text() == "李**"
    assert apage.locator("#verify-school").inner_text() == "江山市实验小学"
    assert apage.locator("#verify-status").inner_text() == "在读"
    apage.goto("/online_services/verify/?code=ABCDE-FGHJK-LMNPQ-RSTUV")
    assert apage.locator("#verify-invalid").is_visible()
    anon.close()
