"""控辍保学 in Chromium at a bureau desk (1366×768): 常山县's administrator opens the county's lists,
works the case of a child suspended for over a year (核查 → 劝返 → 复学, confirming the dialog), and
the child's roll is back to 在读 and the list no longer holds them."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mofang.governance.dropout_control.models import ChildCase
from mofang.governance.dropout_control.tests.conftest import run_import
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.people import roll
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.testing import build_tree, make_id_number, make_student, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_brings_a_suspended_child_back_to_school(page, tmp_path):
    sync_roles()
    tree = build_tree()
    admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县教育局")
    idn = make_id_number("20150301", "M")
    student = make_student(tree.school, "李小华")
    student.set_id_number(idn)
    student.save()
    roll.suspend(student, acting_user=admin, reason="病休", occurred_on=timezone.localdate() - dt.timedelta(days=400))
    rows = [
        ["李小华", idn, "330822", "330822", "", ""],
        ["王小明", make_id_number("20160101", "M"), "330822", "330822", "", ""],
    ]
    result = run_import(admin, tree.county, tmp_path, rows)
    assert result["error_count"] == 0, result["errors"]

    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "admin_cs")
    page.goto(f"/dropout_control/county/{tree.county.pk}/")
    expect(page.locator("#list-out h2")).to_have_text("辍学或休学逾期（1）")
    expect(page.locator("#rate")).to_have_text("0.0%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.locator("#list-out a").click()
    page.fill("#p_comment", "家访：已康复，家长同意返校")
    page.click("#persuade button[type=submit]")
    expect(page.locator("#state")).to_have_text("劝返中")
    page.once("dialog", lambda dialog: dialog.accept())  # 学籍将随之变更
    page.click("#readmit button[type=submit]")
    expect(page.locator("#state")).to_have_text("已复学")
    assert Student.objects.get(pk=student.pk).status == RollStatus.ENROLLED
    assert not ChildCase.objects.get(child__name="李小华").open
    page.goto(f"/dropout_control/county/{tree.county.pk}/")
    expect(page.locator("#list-out h2")).to_have_text("辍学或休学逾期（0）")
    expect(page.locator("#rate")).to_have_text("50.0%")
