"""报名 in Chromium (SPEC §3.1): a parent finds the school by pinyin initials on the public page,
reads its warning, logs in by phone + SMS code (read from the outbox), registers a child, cannot
register the same child twice, and finds the registration under 我的报名."""

import re

import pytest

from mofang.governance.enrollment import services
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.people.identity import id_check_digit
from mofang.platform.testing import build_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13812345678"


@pytest.fixture
def school():
    tree = build_tree()
    year = services.intake_years()[0]
    community = services.save_community(tree.county, "定阳花园", primary_schools=[tree.school], acting_user=None)
    services.set_intake_plan(tree.school, year, "primary", classes=1, class_size=40, acting_user=None)
    start, _end = services.cohort_range("primary", year)
    services.add_household_children(tree.county, [
        {"record_no": f"B{n}", "birth_date": start, "community": community, "registration": "household"}
        for n in range(45)], acting_user=None)  # 45 children for 40 seats: 红色
    first17 = "330822" + start.strftime("%Y%m%d") + "123"
    return tree.school, first17 + id_check_digit(first17)


def test_parent_finds_the_school_logs_in_by_sms_and_registers_once(page, school):
    school, id_number = school
    page.goto("/enrollment/")
    page.fill("input[name=q]", services.name_initials(school.name))
    page.press("input[name=q]", "Enter")
    page.locator("#school-results").get_by_role("link", name=school.name).click()
    page.wait_for_load_state()
    assert "红色" in page.locator("main").inner_text()

    page.click("#register-link")
    page.wait_for_url(re.compile(r"/accounts/phone/"))
    page.fill("#id_phone", PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("#code-sent")
    text = SMSMessage.objects.filter(phone=PHONE).latest("id").text
    page.fill("#id_code", re.search(r"验证码为(\d{6})", text).group(1))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(r"/enrollment/register/"))

    def fill_form():
        page.fill("#id_child_name", "李小明")
        page.fill("#id_id_number", id_number)
        page.fill("#id_address", "定阳花园3幢201")
        page.select_option("#id_public_school", label=school.name)
        page.get_by_role("button", name="提交报名").click()
        page.wait_for_load_state()

    fill_form()
    page.wait_for_url(re.compile(r"/enrollment/my/"))
    table = page.locator("#my-registrations").inner_text()
    assert "李小明" in table and "待派位" in table and id_number not in table

    page.goto(f"/enrollment/register/?school={school.pk}")
    fill_form()
    assert "该儿童今年已报名" in page.locator("[data-field=id_number]").inner_text()

    page.goto("/enrollment/my/")
    assert page.locator("#my-registrations tbody tr").count() == 1
