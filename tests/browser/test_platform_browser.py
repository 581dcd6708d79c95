"""What a person sees in Chromium on the platform's own pages."""

import pytest

from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    tree = build_tree()
    make_user("t1", "teacher", tree.school)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "t1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("label.nav-toggle-label")
    assert page.locator(".mainnav").is_visible()
