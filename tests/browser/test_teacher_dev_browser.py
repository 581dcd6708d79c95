"""教师发展 in Chromium: a teacher opens her points on a phone (390×844) — the year's total and its
change on last year first, the categories with their rules and caps, then each record and the
points it gave (代课 and 托管 read from the time bank, one 托管 past the month's cap) — without
sideways scrolling or English, and opens the yearly statement."""

import datetime as dt

import pytest
from django.utils import timezone

from mofang.governance.teacher_dev import services
from mofang.governance.teacher_dev.models import ActivityRecord
from mofang.governance.timebank import services as bank_services
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import build_tree, make_staff, make_user

from .conftest import login
from .walk import VISIBLE_TEXT_JS, english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _teacher():
    sync_roles()
    services.ensure_levels()
    tree = build_tree()
    county = make_user("admin_cs", "county_admin", tree.county)
    academic = make_user("academic_cs1", "academic", tree.school)
    user = make_user("maoyumei", "teacher", tree.school, full_name="毛玉梅")
    mao = make_staff(tree.school, "毛玉梅", user=user)
    services.ensure_default_rules(tree.county, effective_from=dt.date(2020, 1, 1), acting_user=county)
    today = timezone.localdate()
    month = today.replace(day=1) if today.day > 8 else (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    bank = bank_services.open_bank(tree.school, started_on=month - dt.timedelta(days=400), acting_user=None)
    bank_services.record_substitution(
        bank, mao, date=month.replace(day=2), periods=4, record_no="DK-1", acting_user=academic
    )
    for n, day in enumerate((3, 4, 5, 6, 7, 8), start=1):
        bank_services.record_afterschool_duty(
            bank, mao, date=month.replace(day=day), periods=3, record_no=f"TG-{n}", acting_user=academic
        )
    for no, cat, day, q, title in (
        ("JF-1", "home_visit", month.replace(day=4), 2, "一年级1班学生家访"),
        ("JF-2", "training", month.replace(day=5), 24, "县级小学数学骨干培训"),
        ("JF-3", "home_visit", month.replace(year=month.year - 1, day=4), 1, "上年家访"),
    ):
        ActivityRecord.objects.create(
            school=tree.school, staff=mao, record_no=no, category=cat, date=day, quantity=q, title=title
        )
    return mao, month


def test_a_teacher_reads_her_points_on_a_phone(browser, live_server):
    mao, month = _teacher()
    # 代课 4 × 0.5 = 2; 托管 18 课时 × 1 capped at 12; 家访 2; 继续教育 24 × 0.2 = 4.8 → 20.8
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    try:
        page = ctx.new_page()
        page.set_default_timeout(15000)
        login(page, "maoyumei")
        page.goto(f"/teacher_dev/my/?year={month.year}")
        page.wait_for_selector('h1:has-text("我的积分")')
        assert page.locator("[data-total]").first.inner_text() == "20.8"
        assert "较" in page.locator("#td-total").inner_text() and "+19.8分" in page.locator("#td-total").inner_text()
        assert "已达上限" in page.locator("[data-category=afterschool]").inner_text()
        capped = page.locator("li[data-ref=TG-6]").inner_text()
        assert "超出当月上限12分，计0分" in capped and "时间银行" in capped
        assert "24 × 0.2 = 4.8分" in page.locator("li[data-ref=JF-2]").inner_text()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"横向滚动：页面宽{wide}"
        assert english_words(page.evaluate(VISIBLE_TEXT_JS), {"maoyumei"}) == []
        page.screenshot(path="/tmp/teacher-dev-points-390.png", full_page=True)
        page.get_by_role("link", name=f"{month.year}年度积分报告单").click()
        page.wait_for_selector(f'h1:has-text("{month.year}年度教师积分报告单")')
        assert page.locator("[data-total]").first.inner_text() == "20.8"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert english_words(page.evaluate(VISIBLE_TEXT_JS), {"maoyumei"}) == []
    finally:
        ctx.close()
