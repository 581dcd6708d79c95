"""账号管理 in Chromium at a bureau desk (1366×768): admin_cs opens a teacher's account from the
staff roll, grants 教师, is refused what the grant table forbids; the teacher logs in with the
one-time password, must change it, then reaches the time bank."""

import pytest

from mofang.platform.accounts.models import Membership, User
from mofang.platform.testing import build_tree, make_staff, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def menu(page, group: str, label: str):
    """Open a menu group as a mouse user does (hover), then follow its entry."""
    nav_group = page.locator(".navgroup", has=page.locator(".navgroup-title", has_text=group))
    nav_group.hover()
    with page.expect_navigation():  # a click does not wait for the page it opens
        nav_group.locator("a", has_text=label).click()


def test_admin_opens_a_teacher_account_who_changes_the_password_and_reaches_the_time_bank(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    tree = build_tree()
    make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    staff = make_staff(tree.school, "毛小红", phone="13811112222")

    login(page, "admin_cs")
    menu(page, "平台管理", "账号管理")
    page.click("text=新建账号")
    page.fill("#id_staff_no", staff.staff_no)
    page.fill("#id_username", "maoxiaohong")
    page.select_option("#id_role", label="教师")
    page.fill("#id_org", "3308220001")
    page.click("button:has-text('创建账号')")
    password = page.locator("#one-time-password").inner_text().strip()
    assert len(password) == 10
    assert "临时密码只显示这一次" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.click("text=查看账号")
    assert "常山县第一小学" in page.locator("#memberships").inner_text()
    assert "新建账号 maoxiaohong（毛小红），授予常山县第一小学·教师" in page.locator("#history").inner_text()

    # refused: a school of 江山市, then a province role — in Chinese, nothing granted
    page.select_option("#id_role", label="教师")
    page.fill("#id_org", "3308810001")
    with page.expect_response(lambda r: r.url.endswith("/grant/")) as answer:
        page.click("#grant-form button[type=submit]")
    assert answer.value.status == 403
    assert "「江山市实验小学」不在您的管理范围内" in page.locator("#grant-refusal").inner_text()
    page.select_option("#id_role", label="省级管理员")
    page.fill("#id_org", "330822")
    with page.expect_response(lambda r: r.url.endswith("/grant/")) as answer:
        page.click("#grant-form button[type=submit]")
    assert answer.value.status == 403
    assert "您的角色（区县管理员）不能授予「省级管理员」角色" in page.locator("#grant-refusal").inner_text()
    user = User.objects.get(username="maoxiaohong")
    assert list(Membership.objects.filter(user=user).values_list("role__code", flat=True)) == ["teacher"]

    with page.expect_navigation():
        page.click("button.linkbtn:has-text('退出')")

    # the teacher: one-time password → must change → the time bank
    login(page, "maoxiaohong", password)
    page.wait_for_url("**/accounts/password/**")
    assert "您正在使用临时密码" in page.locator("#must-change").inner_text()
    page.goto("/timebank/")  # nothing else opens before the change
    page.wait_for_url("**/accounts/password/**")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Maoxh@Changshan7")
    page.fill("#id_new_password2", "Maoxh@Changshan7")
    page.click("button:has-text('保存新密码')")
    page.wait_for_selector("text=密码已修改")
    menu(page, "教育管理", "我的时间账户")
    assert page.locator("h1").first.inner_text().startswith("我的时间账户")
    user.refresh_from_db()
    assert not user.must_change_password and user.last_login is not None
