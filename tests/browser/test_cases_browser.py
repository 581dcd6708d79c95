"""A case page in Chromium: the department claims a school's report, handles it with a comment,
and watches the timeline grow without leaving the page (htmx)."""

import pytest
from playwright.sync_api import expect

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases import services
from mofang.platform.cases.examples import HAZARD, register_examples
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_department_claims_and_resolves_a_case_on_its_page(page):
    register_examples()
    sync_roles()
    tree = build_tree()
    make_user("liaison_cs", "dept_liaison", tree.department, full_name="王联络")
    principal = make_user("principal_cs", "principal", tree.school, full_name="张校长")
    case = services.open_case(
        HAZARD.code,
        title="校门口上下学拥堵",
        reporting_org=tree.school,
        responsible_org=tree.department,
        category="traffic",
        acting_user=principal,
    )

    login(page, "liaison_cs")
    page.goto("/cases/?view=queue")
    page.click(f"text={case.number}")
    assert page.locator("h1").first.inner_text().startswith("校门口上下学拥堵")
    assert page.locator("#timeline tbody tr").count() == 1

    page.click("#case-actions button:has-text('认领')")
    page.wait_for_selector("text=已认领，请及时办理")
    assert page.locator("#case-claimant").inner_text() == "王联络"
    assert page.locator("#timeline tbody tr").count() == 2

    page.click("#case-actions button:has-text('开始处置')")
    page.wait_for_selector("text=案件现为「处置中」")
    # 办结反馈 needs a comment: refused in place first, then done
    page.click("#case-actions button:has-text('办结反馈')")
    page.wait_for_selector("text=执行「办结反馈」须填写意见")
    assert page.locator("#case-state").inner_text().startswith("处置中")
    page.fill("textarea[aria-label='办结反馈意见']", "已安排交警早晚高峰疏导")
    page.click("#case-actions button:has-text('办结反馈')")
    page.wait_for_selector("text=案件现为「待确认」")
    rows = page.locator("#timeline tbody tr").all_inner_texts()
    assert len(rows) == 4 and "处置中 → 待确认" in rows[-1] and "已安排交警早晚高峰疏导" in rows[-1]
    assert page.url.endswith(f"/cases/{case.pk}/")  # never left the page


def test_the_case_lists_are_cards_on_a_phone(page):
    """police_cs and keji_cs on a phone (390×844): the queues are one card per case — status first,
    then the title linking to the case — instead of an eleven-column table, and nothing is wider
    than the screen; htmx search keeps the cards."""
    from mofang.platform.demo.services import build_demo
    from mofang.platform.demo.story import DEMO_PASSWORD

    build_demo(scale=0.02, seed=7, log=lambda *_: None)
    page.set_viewport_size({"width": 390, "height": 844})
    for username, url in (
        ("police_cs", "/campus_safety/"),
        ("police_cs", "/cases/"),
        ("keji_cs", "/institutions/applications/"),
        ("keji_cs", "/cases/"),
    ):
        page.context.clear_cookies()
        login(page, username, DEMO_PASSWORD)
        page.goto(url)
        cards = page.locator("#list-body .row-card")
        assert cards.count() >= 1, (username, url)
        assert cards.first.is_visible() and not page.locator("#list-body table").is_visible(), (username, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (username, url)
    # keji_cs's card of the demo's application opens it
    page.fill("input[name=q]", "未来少儿")
    expect(page.locator("#list-body .row-card")).to_have_count(1)
    assert "常山县未来少儿科学馆" in page.locator("#list-body .row-card").inner_text()
    page.click("#list-body .row-card")
    page.wait_for_url("**/cases/*/")
    # the case page fits the phone too, in Chinese (the category read "tech")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "非学科类·科技" in page.locator("#case-body").inner_text()
