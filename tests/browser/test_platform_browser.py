"""What a person sees in Chromium on the platform's own pages."""

import os
import tempfile
from pathlib import Path

import pytest

from mofang.platform.testing import build_tree, make_staff, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("MOFANG_SCREENSHOT_DIR", tempfile.gettempdir())) / "workbench"
SHOTS.mkdir(parents=True, exist_ok=True)


def test_county_user_cannot_open_another_countys_school_by_url(page):
    tree = build_tree()
    make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    login(page, "admin_cs")
    page.goto(f"/orgs/{tree.school.pk}/")
    assert page.locator("h1").first.inner_text().startswith("常山县第一小学")
    response = page.goto(f"/orgs/{tree.other_school.pk}/")
    assert response.status == 404
    assert "页面不存在" in page.locator("h1").inner_text()
    assert "江山市实验小学" not in page.content()


def test_import_with_bad_rows_shows_each_error(page, tmp_path):
    tree = build_tree()
    make_user("admin_cs", "county_admin", tree.county)
    csv = tmp_path / "学生.csv"
    csv.write_text(
        "学籍号,姓名,性别,出生日期,身份证号,学校标识码,班级,入学日期\n"
        "G001,张好,男,2015-03-01,330822201503010016,3308220001,一年级1班,2021-09-01\n"
        "G002,李错,男,2015-03-01,330822201503010017,3308220001,,\n"
        "G003,王外,女,2015-03-01,330822201503010024,3308810001,,\n",
        encoding="utf-8",
    )
    login(page, "admin_cs")
    page.goto("/imports/students/")
    page.set_input_files("#id_file", str(csv))
    page.click("button[type=submit]")
    page.wait_for_selector("#import-errors")
    rows = page.locator("#import-errors tbody tr").all_inner_texts()
    assert any(r.startswith("3") and "身份证号" in r and "校验位" in r for r in rows), rows
    assert any(r.startswith("4") and "学校标识码" in r for r in rows), rows
    assert "未写入任何数据" in page.content()


def test_pages_fit_a_phone_screen(page):
    """A teacher on a phone: the tab bar, no drawer, nothing wider than the screen; a county
    administrator on a phone: the drawer of grouped menus."""
    tree = build_tree()
    make_user("t1", "teacher", tree.school)
    make_user("c1", "county_admin", tree.county)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "t1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("nav.tabbar").is_visible() and not page.locator("label.nav-toggle-label").is_visible()
    page.context.clear_cookies()
    login(page, "c1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("nav.tabbar").count()
    page.click("label.nav-toggle-label")
    assert page.locator(".mainnav").is_visible()
    page.screenshot(path=str(SHOTS / "drawer-390.png"))
    drawer = page.locator(".mainnav")
    assert drawer.locator(".navgroup-title", has_text="教育数据").is_visible()
    assert drawer.locator(".navapp-title", has_text="主数据").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_visitor_on_a_phone_moves_between_the_public_services_by_the_tab_bar(page):
    """The public (no login) on a phone: a tab bar of the public services and 登录; none at a desk."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/institutions/public/lists/")
    bar = page.locator("nav.tabbar")
    assert bar.is_visible()
    assert bar.locator("a").all_inner_texts() == ["入学", "督导公示", "黑白名单", "举报", "登录"]
    assert bar.locator("a[aria-current=page]").inner_text() == "黑白名单"
    bar.get_by_role("link", name="举报").click()
    page.wait_for_url("**/institutions/public/report/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the tab bar does not cover the form's last button
    page.locator("main button[type=submit]").last.scroll_into_view_if_needed()
    submit = page.locator("main button[type=submit]").last.bounding_box()
    top_of_bar = bar.bounding_box()["y"]
    assert submit["y"] + submit["height"] <= top_of_bar
    bar.get_by_role("link", name="登录").click()
    page.wait_for_url("**/accounts/login/")
    page.set_viewport_size({"width": 1366, "height": 768})
    assert not bar.is_visible()


def test_grouped_menu_opens_a_business_of_apps_and_fits_a_laptop(page):
    tree = build_tree()
    make_user("c1", "county_admin", tree.county)
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "c1")
    group = page.locator(".navgroup", has=page.locator(".navgroup-title", has_text="教育数据"))
    group.locator(".navgroup-title").hover()
    panel = group.locator(".navgroup-items")
    assert panel.is_visible()
    assert panel.locator(".navapp-title", has_text="主数据").is_visible()
    page.screenshot(path=str(SHOTS / "menu-1366.png"))
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 768
    panel.locator("a", has_text="学生").first.click()
    page.wait_for_url("**/students/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_date_picker_opens_in_chinese(page):
    tree = build_tree()
    staff = make_staff(tree.school, "毛玉梅")
    make_user("c1", "county_admin", tree.county)
    login(page, "c1")
    page.goto(f"/staff/{staff.pk}/edit/")
    page.click("#id_hired_on")
    calendar = page.locator(".flatpickr-calendar.open")
    assert calendar.is_visible()
    text = calendar.inner_text()
    assert "周一" in text and "月" in text, text
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="15").first.click()
    assert page.input_value("#id_hired_on").endswith("-15")


def test_favicon_answers_at_the_root(page):
    build_tree()
    response = page.request.get("/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"


CSP_LISTEN = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});"""


def test_shell_pieces_run_under_the_strict_policy(page):
    """The watermark, the date picker, the grouped menu and the API docs page report no CSP violation."""
    tree = build_tree()
    staff = make_staff(tree.school, "毛玉梅")
    make_user("c1", "county_admin", tree.county, full_name="常山县管理员")
    errors = []
    page.add_init_script(CSP_LISTEN)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, "c1")
    page.goto("/staff/")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.watermark')).backgroundImage.includes('svg')"
    )
    page.goto(f"/staff/{staff.pk}/edit/")
    page.click("#id_hired_on")
    page.locator(".flatpickr-calendar.open").wait_for()
    page.goto("/api/docs/")
    page.locator("#students_list").wait_for()
    assert page.locator("h1").first.inner_text() == "接口文档"
    assert not [e for e in errors if "CSP violation" in e], errors
