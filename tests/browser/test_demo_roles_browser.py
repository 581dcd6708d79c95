"""The demo, as each role sees it in Chromium (issue: "logging in as each demo role shows that
role's own world, in Chinese"), plus the time bank's two acceptance walks and the demo parent's
入学 result. The roles are the core's and the modules' (story.all_logins: 公证员 comes from 入学早知道)."""

import re

import pyotp
import pytest

from mofang.platform.demo.services import build_demo
from mofang.platform.demo.story import DEMO_PASSWORD, all_logins

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_UI = re.compile(r"\b(Not Found|Server Error|Forbidden|Login|Logout|Submit|Page not found)\b")


@pytest.fixture
def demo():
    return build_demo(scale=0.02, seed=7, log=lambda *_: None)


def sign_in(page, username):
    login(page, username, DEMO_PASSWORD)
    if "/accounts/otp/" in page.url:  # 省级/市级管理员: enrol the authenticator, then verify
        secret = page.locator("#totp-secret").inner_text()
        page.fill("#id_token", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)  # verified (a click does not wait for it)


# what only this role's own world shows: (path, text that must be there, text that must not)
OWN_WORLD = {
    "admin_zj": ("/orgs/", "浙江省", None),
    "admin_qz": ("/orgs/", "衢州市", "杭州市"),
    "admin_cs": ("/orgs/", "常山县", "江山市"),
    "admin_js": ("/orgs/", "江山市", "常山县"),
    "inspector_cs": ("/orgs/", "常山县", "江山市"),
    "principal_cs1": ("/orgs/", "常山县第一小学", "常山县第二"),
    "academic_cs1": ("/students/", "常山县第一小学", "江山"),
    "auditor_cs1": ("/timebank/entries/?q=毛玉梅", "毛玉梅", "江山"),
    "psych_cs1": ("/students/", "常山县第一小学", "江山"),
    "head_cs1": ("/students/", "一年级1班", "二年级"),
    "maoyumei": ("/timebank/my/", "毛玉梅", None),
    "teacher_cs1b": ("/timebank/my/", "常山县第一小学", "毛玉梅"),
    "police_cs": ("/", "常山县公安局", None),
    "parent_cs1": ("/students/", "一年级1班", None),
    "notary_cs": ("/enrollment/manage/draws/", "常山县", "江山市"),
    "keji_cs": ("/institutions/applications/", "常山县未来少儿科学馆", "江山"),
}


def test_every_demo_role_sees_its_own_world_in_chinese(browser, live_server, demo):
    assert {d.username for d in all_logins()} == set(OWN_WORLD)
    failures = []
    for d in all_logins():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            sign_in(page, d.username)
            home = page.locator("main").inner_text()
            if page.locator("h1").first.inner_text() != "我的待办":
                failures.append(f"{d.username}: home is {page.url}")
            if d.role_name not in page.locator(".whoami").inner_text():
                failures.append(f"{d.username}: header does not name the role {d.role_name}")
            path, must, must_not = OWN_WORLD[d.username]
            response = page.goto(path)
            text = page.locator("main").inner_text()
            if response.status != 200 or must not in text:
                failures.append(f"{d.username}: {path} HTTP {response.status}, missing {must}")
            # what the page shows of the data, without the choices of its filters (the student list
            # offers every grade, 二年级 included, to every role)
            shown_data = page.evaluate(
                "() => { const m = document.querySelector('main').cloneNode(true);"
                " m.querySelectorAll('select, datalist').forEach(s => s.remove());"
                " return m.textContent; }"
            )
            if must_not and must_not in shown_data:
                failures.append(f"{d.username}: {path} shows {must_not}")
            for shown in (home, text):
                if not HAN.search(shown) or ENGLISH_UI.search(shown):
                    failures.append(f"{d.username}: page not in Chinese")
        finally:
            context.close()
    assert not failures, "\n".join(failures)


def test_parent_sees_only_their_own_child(page, demo):
    sign_in(page, "parent_cs1")
    page.goto("/students/")
    assert page.locator(".total-count").inner_text() == "1"


def test_parent_reads_the_younger_childs_admission(page, demo):
    sign_in(page, "parent_cs1")
    page.goto("/enrollment/my/")
    row = page.locator("#my-registrations tbody tr")
    assert row.count() == 1
    assert "已录取：常山县第一小学" in row.inner_text()


def test_teacher_reads_her_statement_16_4_12(page, demo):
    sign_in(page, "maoyumei")
    page.goto("/timebank/my/")
    page.locator("table a", has_text="对账单").first.click() if page.locator(
        "table a", has_text="对账单"
    ).count() else page.locator("a.stat", has_text="对账单").first.click()
    page.wait_for_selector("#statement-numbers")
    numbers = {
        k: page.locator(f"#{k}").inner_text()
        for k in ("earned-substitution", "earned-afterschool", "earned-total", "spent", "closing-balance")
    }
    assert numbers == {
        "earned-substitution": "2.0",
        "earned-afterschool": "14.0",
        "earned-total": "16.0",
        "spent": "4.0",
        "closing-balance": "12.0",
    }
    sms = page.locator("#sms-text").inner_text()
    assert re.fullmatch(
        r"【教育魔方】毛玉梅老师：您\d{4}年\d{1,2}月时间银行代课获得2\.0小时，托管获得14\.0小时，"
        r"使用4\.0小时，当前结余12\.0小时。",
        sms,
    ), sms


def test_audit_office_posts_a_correction(page, demo):
    sign_in(page, "auditor_cs1")
    page.goto("/timebank/entries/?q=毛玉梅")
    page.locator("#list-body a", has_text="毛玉梅").first.click()
    page.wait_for_selector("#ledger")
    before = float(page.locator("#balance").inner_text())
    row = page.locator("#ledger tbody tr", has=page.locator("a", has_text="冲正")).first
    amount = float(row.locator("td.num").first.inner_text())
    row.locator("a", has_text="冲正").click()
    page.fill("textarea[name=reason]", "   ")  # blank passes the browser, not the server
    page.click("button[type=submit]")
    assert page.locator(".field-error").first.inner_text() == "冲正理由：请填写冲正理由"
    page.fill("textarea[name=reason]", "专项审核：代课记录重复登记")
    page.click("button[type=submit]")
    page.wait_for_selector("#ledger")
    assert "已冲正" in page.locator("main").inner_text()
    assert float(page.locator("#balance").inner_text()) == pytest.approx(before - amount)
