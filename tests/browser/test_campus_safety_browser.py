"""校园安全 in Chromium: a school reports a hazard with a photo on 上报隐患, it lands in the
police's queue by the county's routing table, the department claims and resolves it on the case
page (/cases/<pk>/), and the school confirms it — 已销号 (动态清零)."""

import pytest

from mofang.governance.campus_safety.cases import ROUTES
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases import routing
from mofang.platform.cases.models import Case
from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType
from mofang.platform.testing import add, build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_school_reports_department_claims_and_resolves_school_confirms(page, tmp_path):
    sync_roles()
    tree = build_tree()
    admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    make_user("principal_cs", "principal", tree.school, full_name="张校长")
    make_user("police_cs", "dept_liaison", tree.department, full_name="王警官")
    routing.save_rule(ROUTES, tree.county, "traffic", tree.department, acting_user=admin)
    OrgUnit.objects.filter(pk=tree.school.pk).update(longitude="118.511000", latitude="28.902000")
    add(
        tree.county,
        "常山县第二小学",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.PRIMARY,
        longitude="118.530000",
        latitude="28.920000",
    )
    photo = tmp_path / "校门口.png"
    photo.write_bytes(PNG)

    # 学校吹哨
    login(page, "principal_cs")
    page.goto("/campus_safety/report/")
    page.select_option("#id_category", "traffic")
    page.select_option("#id_severity", "high")
    page.fill("#id_title", "放学时段校门口车辆乱停")
    page.fill("#id_description", "接送车辆占用人行道，学生穿行危险")
    page.fill("#id_address", "常山县定阳路1号")
    # a click on the county's outline (geo coordinates) near the schools fills in the place
    page.fill("#id_lon", "")
    page.wait_for_selector("#school-map[data-state=ready]")
    xy = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('school-map')).convertToPixel({geoIndex: 0}, [118.52, 28.91])"
    )
    page.locator("#school-map").click(position={"x": xy[0], "y": xy[1]})
    assert page.input_value("#id_lon").startswith("118.5") and page.input_value("#id_lat").startswith("28.9")
    page.set_input_files("#id_photos", str(photo))
    page.click("button:has-text('上报')")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(title="放学时段校门口车辆乱停")
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert "常山县公安局" in page.locator("#case-body").inner_text()
    assert page.locator("#case-state").inner_text().startswith("待认领")

    # 部门报到: from the department's queue to the case page
    page.context.clear_cookies()
    login(page, "police_cs")
    page.goto("/campus_safety/?state=reported")
    page.click(f"text={case.number}")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.click("#case-actions button:has-text('认领')")
    page.wait_for_selector("#case-claimant:has-text('王警官')")
    # claimed: the case says so, not 待认领 any more (issue 14)
    assert page.locator("#case-state").inner_text() == "已认领，待处置（办理中）"
    page.click("#case-actions button:has-text('开始处置')")
    page.wait_for_selector("#case-state:has-text('处置中')")
    page.fill("textarea[aria-label='办结反馈意见']", "已增派辅警早晚高峰疏导，施划禁停线")
    page.click("#case-actions button:has-text('办结反馈')")
    page.wait_for_selector("#case-state:has-text('待学校确认')")
    # the department cannot close it itself
    assert page.locator("#case-actions button:has-text('确认销号')").count() == 0

    # the school confirms: 动态清零
    page.context.clear_cookies()
    login(page, "principal_cs")
    page.goto(f"/cases/{case.pk}/")
    page.click("#case-actions button:has-text('确认销号')")
    page.wait_for_selector("#case-state:has-text('已销号')")
    rows = page.locator("#timeline tbody tr").all_inner_texts()
    assert any("待学校确认 → 已销号" in r for r in rows)
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_on_time
    assert case.attachments.count() == 1 and case.lon is not None


def test_one_key_report_and_grid_hand_off_have_their_own_reasons_and_ask_first(page):
    """一键上报 and 转四平台 are two forms, each with its own reason (required: 400, nothing written)
    and a confirmation that says the step cannot be undone; dismissing it changes nothing."""
    sync_roles()
    tree = build_tree()
    admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    principal = make_user("principal_cs", "principal", tree.school, full_name="张校长")
    make_user("police_cs", "dept_liaison", tree.department, full_name="王警官")
    routing.save_rule(ROUTES, tree.county, "traffic", tree.department, acting_user=admin)
    from mofang.governance.campus_safety import services

    case = services.report_hazard(
        tree.school,
        acting_user=principal,
        category="traffic",
        severity="normal",
        title="校门口流动摊贩占道",
        description="",
        address="",
        lon=None,
        lat=None,
        photos=[],
    )
    login(page, "police_cs")
    page.goto(f"/cases/{case.pk}/")
    page.fill("#escalate-reason", "需县里协调城管、交警")
    assert page.input_value("#handoff-reason") == ""  # its own box

    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("#escalate-form button:has-text('一键上报')")
    page.wait_for_timeout(300)
    assert "不可撤销" in asked[-1] and "常山县" in asked[-1]
    case.refresh_from_db()
    assert case.responsible_org == tree.department  # dismissed: nothing happened

    # 转四平台 with an empty reason: refused in place, field named, nothing written
    page.once("dialog", lambda d: answer(d, True))
    page.click("#handoff-form button:has-text('转四平台')")
    page.wait_for_selector("text=请填写转四平台理由")
    assert not case.handoffs.exists()

    page.fill("#escalate-reason", "需县里协调城管、交警")
    page.once("dialog", lambda d: answer(d, True))
    page.click("#escalate-form button:has-text('一键上报')")
    page.wait_for_selector("text=已转办")
    case.refresh_from_db()
    assert case.responsible_org == tree.county
    assert case.events.get(kind="escalate").comment == "需县里协调城管、交警"
