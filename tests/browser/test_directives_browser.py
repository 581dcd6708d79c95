"""政令一键智达 in Chromium: the county bureau picks its primary schools by rule (previewed),
sends a 填报 task; the school signs and answers (a bad number is refused naming the field); the
bureau sees the answer counted and the xlsx download contains it."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from mofang.governance.directives.models import Directive
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_signs_and_answers_and_the_bureau_counts_it(page):
    sync_roles()
    tree = build_tree()
    make_user("admin_cs", "county_admin", tree.county, full_name="常山县教育局")
    make_user("xz_cs", "principal", tree.school, full_name="张校长")

    # the bureau writes the task, previews the rule's units, sends
    login(page, "admin_cs")
    page.goto("/directives/new/")
    page.fill("#title", "关于报送秋季学期学生数的通知")
    page.select_option("#kind", "task")
    page.fill("#body", "请各小学于截止前填报在校学生数。")
    deadline = timezone.localtime() + dt.timedelta(days=3)
    page.fill("#deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.check("input[name=school_types][value=primary]")
    page.fill("#form_spec", "在校学生数|数字|必填\n办学性质|选项|必填|公办,民办")
    page.click("button:has-text('预览发送对象')")
    page.wait_for_selector("#target-count")
    assert page.locator("#target-count").inner_text() == "1"
    assert "常山县第一小学" in page.locator("#preview").inner_text()
    page.click("button:has-text('一键发送')")
    page.wait_for_selector("text=已发送至1个单位")
    directive = Directive.objects.get()
    assert page.locator("#n-done").inner_text() == "0"

    # the school signs, answers; a bad number is refused
    page.context.clear_cookies()
    login(page, "xz_cs")
    page.goto("/")
    page.click("text=待签收的政令")
    page.click("text=关于报送秋季学期学生数的通知")
    page.click("#sign button:has-text('签收')")
    page.wait_for_selector("text=已签收")
    page.fill("#f_f1", "一千二")
    page.select_option("#f_f2", "公办")
    page.click("#answer button:has-text('提交填报')")
    page.wait_for_selector("text=“在校学生数”：请填写数字")
    page.fill("#f_f1", "1250")
    page.click("#answer button:has-text('提交填报')")
    page.wait_for_selector("text=填报已提交")
    assert page.locator("#status").inner_text() == "已填报"

    # the bureau sees it counted and downloads it
    page.context.clear_cookies()
    login(page, "admin_cs")
    page.goto(f"/directives/{directive.pk}/")
    assert page.locator("#n-done").inner_text() == "1"
    assert "已填报" in page.locator("#units").inner_text()
    with page.expect_download() as info:
        page.click("text=下载填报汇总（Excel）")
    wb = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    rows = list(wb["填报汇总"].iter_rows(values_only=True))
    assert rows[1][0] == "常山县第一小学" and rows[1][7] == 1250 and rows[1][8] == "公办"
