"""清单管理 in Chromium: the school (lead unit) reports its monthly progress on the item page and
the county bureau sees the item's status change on its list from 未开始 to 按进度完成."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mofang.governance.workplans import services
from mofang.governance.workplans.models import PlanKind
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_unit_reports_and_the_bureau_sees_the_status_change(page):
    sync_roles()
    tree = build_tree()
    admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县教育局")
    make_user("xz_cs", "principal", tree.school, full_name="张校长")
    year = timezone.localdate().year
    plan = services.create_plan(
        tree.county, year=year, name=f"常山县教育局{year}年工作要点", kind=PlanKind.POINTS, acting_user=admin
    )
    item = services.add_items(
        plan,
        [
            services.ItemSpec(
                number=33,
                title="加强学生管理工作",
                target_text="完善作业、睡眠、手机、读物、体质等管理举措",
                lead_unit=tree.school,
            ),
            services.ItemSpec(
                number=24,
                title="增加教育资源学位供给",
                target_text="新增学位2610个",
                lead_unit=tree.county,
                target_value=2610,
                unit="个",
            ),
        ],
        acting_user=admin,
    )[0]

    # the bureau's list: nothing reported yet
    login(page, "admin_cs")
    page.goto(f"/workplans/plans/{plan.pk}/")
    assert page.locator('tr[data-item="33"] .status').inner_text() == "未开始"
    page.context.clear_cookies()

    # the school finds its item and reports; an empty report is refused with the field named
    login(page, "xz_cs")
    page.goto("/workplans/items/")
    page.click("text=加强学生管理工作")
    page.fill("#percent", "100")
    page.click("#report button:has-text('报送')")
    page.wait_for_selector("text=请填写进展情况")
    assert item.reports.count() == 0
    page.fill("#text", "制定作业公示、睡眠和手机管理制度，全校落实。")
    page.fill("#percent", "100")
    page.click("#report button:has-text('报送')")
    page.wait_for_selector("text=进展已报送")
    assert page.locator("#status .status").inner_text() == "按进度完成"
    assert "制定作业公示" in page.locator("#history").inner_text()
    page.context.clear_cookies()

    # the bureau sees the change on its list, and filters by status
    login(page, "admin_cs")
    page.goto(f"/workplans/plans/{plan.pk}/")
    row = page.locator('tr[data-item="33"]')
    assert row.locator(".status").inner_text() == "按进度完成"
    assert f"{timezone.localdate():%Y-%m}" in row.inner_text()
    page.select_option("select[name=status]", "on_track")
    expect(page.locator(".total-count")).to_have_text("1")
    assert page.locator('tr[data-item="24"]').count() == 0
