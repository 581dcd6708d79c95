"""报名 in Chromium (SPEC §3.1): a parent finds the school by pinyin initials on the public page,
reads its warning, logs in by phone + SMS code (read from the outbox), registers a child, cannot
register the same child twice, and finds the registration under 我的报名. Then the draw, through
the bureau pages: the county administrator creates it, the notary enters the publicly drawn seed,
the administrator runs it (a background job) and publishes it; the parent reads "已录取：<学校>"
and the public 派位公示 page shows the seed and "一致" on 重新验证."""

import re

import pytest

from mofang.governance.enrollment import services
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.identity import id_check_digit
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13812345678"


@pytest.fixture
def school():
    tree = build_tree()
    year = services.intake_years()[0]
    community = services.save_community(tree.county, "定阳花园", primary_schools=[tree.school], acting_user=None)
    services.set_intake_plan(tree.school, year, "primary", classes=1, class_size=40, acting_user=None)
    start, _end = services.cohort_range("primary", year)
    services.add_household_children(
        tree.county,
        [
            {"record_no": f"B{n}", "birth_date": start, "community": community, "registration": "household"}
            for n in range(45)
        ],
        acting_user=None,
    )  # 45 children for 40 seats: 红色
    first17 = "330822" + start.strftime("%Y%m%d") + "123"
    return tree.school, first17 + id_check_digit(first17)


@pytest.fixture
def signed_in(browser, live_server):
    """Pages of their own browser contexts, logged in as a bureau user (the parent stays logged
    in on the test's page)."""
    contexts = []

    def open_as(username):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(15000)
        login(pg, username)
        return pg

    yield open_as
    for context in contexts:
        context.close()


def test_parent_finds_the_school_registers_once_and_after_the_draw_reads_the_result(page, school, signed_in):
    school, id_number = school
    page.goto("/enrollment/")
    page.fill("input[name=q]", services.name_initials(school.name))
    page.press("input[name=q]", "Enter")
    with page.expect_navigation():  # a click does not wait for the page it opens
        page.locator("#school-results").get_by_role("link", name=school.name).click()
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
        with page.expect_navigation():
            page.get_by_role("button", name="提交报名").click()

    fill_form()
    page.wait_for_url(re.compile(r"/enrollment/my/"))
    table = page.locator("#my-registrations").inner_text()
    assert "李小明" in table and "待派位" in table and id_number not in table

    page.goto(f"/enrollment/register/?school={school.pk}")
    fill_form()
    assert "该儿童今年已报名" in page.locator("[data-field=id_number]").inner_text()

    page.goto("/enrollment/my/")
    assert page.locator("#my-registrations .reg-card").count() == 1

    # the draw, through the bureau pages
    county = OrgUnit.objects.get(code="330822")
    make_user("admin_cs", "county_admin", county, full_name="常山县管理员")
    make_user("notary_cs", "notary", county, full_name="常山县公证员")
    admin, notary = signed_in("admin_cs"), signed_in("notary_cs")
    admin.goto("/enrollment/manage/draws/new/")
    admin.select_option("#county", label=county.name)
    admin.get_by_role("button", name="新建").click()
    admin.wait_for_url(re.compile(r"/enrollment/manage/draws/\d+/$"))
    draw_page = admin.url
    assert admin.get_by_role("button", name="执行派位").count() == 0  # no seed yet
    assert admin.locator("#seed").count() == 0  # only the notary enters the seed

    notary.goto(draw_page)
    notary.fill("#seed", "20270615")
    notary.fill("#seed_again", "20270615")  # typed twice
    notary.once("dialog", lambda dialog: dialog.accept())  # 公示后不可修改
    with notary.expect_navigation():
        notary.get_by_role("button", name="录入并公布种子").click()
    assert "随机种子：20270615" in notary.locator("main").inner_text()
    assert notary.get_by_role("button", name="执行派位").count() == 0  # the notary cannot run it

    admin.goto(draw_page)
    admin.get_by_role("button", name="执行派位").click()
    admin.wait_for_selector("#draw-run[data-status=run]")
    assert "共 1 人参加派位，录取 1 人" in admin.locator("#draw-result").inner_text()
    admin.get_by_role("button", name="公布结果并通知家长").click()
    admin.wait_for_selector("#draw-run[data-status=published]")
    assert "结果已公布" in admin.locator("#draw-run").inner_text()

    # the parent reads the result, and anyone can re-verify it on the public page
    page.goto("/enrollment/my/")
    assert f"已录取：{school.name}" in page.locator("#my-registrations").inner_text()
    page.goto("/enrollment/")
    page.get_by_role("link", name=re.compile("电脑派位公示")).click()
    row = page.locator("#public-draws tbody tr", has_text=county.name)
    assert "20270615" in row.inner_text() and "已公布结果" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name="查看并重新验证").click()
    assert "20270615" in page.locator("main").inner_text()
    page.get_by_role("button", name="重新验证").click()
    page.wait_for_selector("#verify-result")
    assert page.locator("#verify-result").inner_text().startswith("一致")
