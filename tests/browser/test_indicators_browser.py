"""指标 in Chromium: a county administrator reads an indicator for the county and its schools
(with 数据截至), sets a school's target, is refused a bad one in Chinese, and sees it met."""

from decimal import Decimal

import pytest

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.indicators.catalogue import ship
from mofang.platform.indicators.services import write_statistics
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_admin_reads_values_and_sets_a_target(page):
    sync_roles()
    ship()  # a transactional test starts from a flushed database
    tree = build_tree()
    make_user("gly_cs", "county_admin", tree.county, full_name="常山县教育局")
    write_statistics(
        [("import.smart_campus_schools", tree.school.pk, "2026", Decimal(1))], acting_user=None, org=tree.county
    )

    login(page, "gly_cs")
    page.goto("/indicators/")
    page.click("text=智慧校园覆盖率")
    page.fill("input[name=period]", "2026")
    page.click("button:has-text('查询')")
    page.wait_for_selector("text=常山县第一小学")
    assert "数据截至" in page.content()
    assert page.inner_text("#own-value").strip() == "100%"  # 1 of 1 中小学 rated

    page.click("text=设置目标")
    page.fill(f"input[data-org='{tree.school.pk}']", "120")
    page.click(f"tr:has(input[data-org='{tree.school.pk}']) button:has-text('保存')")
    page.wait_for_selector("text=百分比目标值不能超过100")
    page.fill(f"input[data-org='{tree.school.pk}']", "100")
    page.click(f"tr:has(input[data-org='{tree.school.pk}']) button:has-text('保存')")
    page.wait_for_selector(f"input[data-org='{tree.school.pk}'][value='100']")

    page.goto(f"/indicators/smart_campus_coverage/?org={tree.county.pk}&period=2026")
    row = page.locator("tr", has_text="常山县第一小学")
    assert "达标" in row.inner_text() and "未达标" not in row.inner_text()  # exactly the target is met
