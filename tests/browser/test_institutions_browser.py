"""校外培训 in Chromium: someone from the public reports unlicensed subject tutoring (no login)
and gets a query code; the county finds it among 有奖举报, handles it on the case page (认领,
开始核查, 查实办结), records a 500-yuan reward; the reporter, still without logging in, sees
the outcome and the reward with the code."""

import pytest

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases.models import Case
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_report_is_handled_rewarded_and_followed_with_the_code(page):
    from django.core.cache import cache

    cache.clear()
    sync_roles()
    tree = build_tree()
    make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")

    # 有奖举报 from the public: no login
    page.goto("/institutions/public/report/")
    page.select_option("#id_city", str(tree.city.pk))
    page.select_option("#id_county", str(tree.county.pk))
    page.fill("#id_target_name", "紫港小区“托管班”")
    page.fill("#id_address", "常山县天马街道紫港小区12幢")
    page.fill("#id_description", "以托管名义周末开设初中数学、英语补习班，约20名学生")
    page.fill("#id_phone", "13857000001")
    page.click("button:has-text('提交举报')")
    page.wait_for_selector("#query-code")
    code = page.locator("#query-code").inner_text().strip()
    assert len(code) == 10
    case = Case.objects.get(case_type="institutions.report")
    assert case.responsible_org == tree.county and case.reporter is None

    # the county handles it on the case page
    login(page, "admin_cs")
    page.goto("/institutions/reports/")
    page.click(f"text={case.number}")
    page.wait_for_selector("#report-state:has-text('待核查')")
    page.click("a:has-text('" + case.number + "')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.click("#case-actions button:has-text('认领')")
    page.wait_for_selector("#case-claimant:has-text('常山县管理员')")
    page.click("#case-actions button:has-text('开始核查')")
    page.wait_for_selector("#case-state:has-text('核查中')")
    page.fill("textarea[aria-label='查实办结意见']", "经核查属实，已责令停止，移交市场监管部门")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.click("#case-actions button:has-text('查实办结')")
    page.wait_for_selector("#case-state:has-text('查实')")
    assert "不可撤销" in asked[0]  # closing for good asks first

    # … and records the reward on the report's page
    page.goto("/institutions/reports/")
    page.click(f"text={case.number}")
    page.fill("#id_amount", "500")
    page.click("button:has-text('登记奖励')")
    page.wait_for_selector("#report-reward:has-text('500.00元')")

    # the reporter follows it with the code, without logging in
    page.context.clear_cookies()
    page.goto("/institutions/public/query/")
    page.fill("input[name=code]", code)
    page.click("button:has-text('查询')")
    page.wait_for_selector("#outcome-state")
    assert page.locator("#outcome-state").inner_text() == "查实"
    assert "已责令停止" in page.locator("#outcome-result").inner_text()
    assert page.locator("#outcome-reward").inner_text() == "500.00元"
    assert "常山县管理员" not in page.content()


def test_the_public_report_form_asks_for_city_then_county_and_defaults_to_neither(page):
    """A 常山 parent who leaves the place untouched is asked for it — the form never files the report
    at the first district of the list; picking 衢州市 narrows the counties to 衢州's."""
    from django.core.cache import cache

    from mofang.platform.orgs.models import OrgKind
    from mofang.platform.testing import add

    cache.clear()
    sync_roles()
    tree = build_tree()
    hangzhou = add(tree.province, "杭州市", OrgKind.CITY, "330100")
    add(hangzhou, "上城区", OrgKind.COUNTY, "330102")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/institutions/public/report/")
    assert page.input_value("#id_city") == "" and page.input_value("#id_county") == ""
    page.fill("#id_target_name", "紫港小区“托管班”")
    page.fill("#id_address", "常山县天马街道紫港小区12幢")
    page.fill("#id_description", "以托管名义周末开设初中数学补习班")
    page.click("button:has-text('提交举报')")
    page.wait_for_selector("[data-field=county]")
    assert page.locator("[data-field=county]").inner_text() == "所在区县：请选择所在区县"
    assert not Case.objects.exists()

    page.select_option("#id_city", str(tree.city.pk))
    visible = page.eval_on_selector(
        "#id_county", "s => [...s.querySelectorAll('optgroup')].filter(g => !g.hidden).map(g => g.label)"
    )
    assert visible == ["衢州市"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#id_county", str(tree.county.pk))
    page.click("button:has-text('提交举报')")
    page.wait_for_selector("#query-code")
    assert Case.objects.get().responsible_org == tree.county


def test_the_public_lists_on_a_phone_are_searchable_result_first_cards(page):
    """On a phone (390×844) a parent types an institution's name and reads, first, which list it is
    on, then why and since when — cards, not a seven-column table, and nothing wider than the screen."""
    from mofang.platform.demo.services import build_demo

    build_demo(scale=0.02, seed=7, log=lambda *_: None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/institutions/public/lists/")
    assert page.locator(".list-card").count() == 5  # 4 white, 1 black in the demo
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("input[name=q]", "金榜")
    page.click("button:has-text('查询')")
    page.wait_for_url("**q=*")
    assert page.locator("#list-result").inner_text() == "“金榜”：在黑名单上"
    cards = page.locator(".list-card")
    assert cards.count() == 1
    card = cards.first.inner_text()
    assert card.startswith("黑名单") and "常山县金榜教育咨询有限公司" in card
    assert "理由：以“咨询”名义违规开展学科类培训（换马甲）" in card
    assert "列入日期：" in card and "有效至：长期" in card
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("input[name=q]", "青少年宫")
    page.click("button:has-text('查询')")
    page.wait_for_selector("#list-result:has-text('在白名单上')")
    assert page.locator("#white-list .list-card").count() == 1 and page.locator("#black-list .list-card").count() == 0
