"""招生政策 in Chromium: a county administrator adds a 招生类别 row, moves it up and saves, all
through htmx without leaving the page, and reads why 平行志愿 from the engine's figures."""

import pytest
from playwright.sync_api import expect

from mofang.governance.enrollment import priority, services
from mofang.governance.enrollment.engine import manipulation
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_administrator_edits_categories_in_place(page):
    tree = build_tree()
    year = services.intake_years()[0]
    admin = make_user("admin_cs", "county_admin", tree.county)
    priority.set_categories(
        tree.county,
        year,
        [{"name": "第一类：户籍在学区", "conditions": {"household_in_district": True}}],
        acting_user=admin,
    )
    login(page, "admin_cs")
    page.goto(f"/enrollment/manage/policy/{tree.county.pk}/")
    boston = page.locator('#why-outcomes tr[data-mechanism="boston"] .deviations').inner_text()
    assert int(boston) == len(manipulation.profitable_deviations("boston")) > 0
    assert page.locator('#why-outcomes tr[data-mechanism="da"] .deviations').inner_text() == "0"

    page.get_by_role("button", name="添加类别").click()
    page.get_by_label("第2条类别名称").fill("第二类：随迁子女")
    page.get_by_label("第2条：随迁子女（居住证）").select_option("yes")
    page.locator("#categories").get_by_role("button", name="上移").click()
    expect(page.locator('[aria-label="第1条类别名称"]')).to_have_value("第二类：随迁子女")
    page.get_by_role("button", name="保存招生类别").click()
    page.wait_for_selector("#categories .msg-success")
    saved = priority.categories_of(tree.county, year)
    assert [(c.name, c.conditions) for c in saved] == [
        ("第二类：随迁子女", {"permit": True}),
        ("第一类：户籍在学区", {"household_in_district": True}),
    ]

    page.get_by_label("第1条类别名称").fill("")
    page.get_by_role("button", name="保存招生类别").click()
    assert "第1条类别缺少名称" in page.locator("#categories .errorlist").inner_text()
    assert len(priority.categories_of(tree.county, year)) == 2
