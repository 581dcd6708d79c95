"""入学早知道 on a phone (390×844) and a desk (1366×768), in Chromium:
- a parent withdraws a registration only after confirming it; once the child is admitted the
  card reads one state (已录取) and giving the seat up is a request (申请放弃录取, with a reason, a
  confirmation naming the seat that is lost) that the school confirms from its to-do;
- the notary finds the draw waiting for its seed among 我的待办, reads the declared format, types
  the seed twice (a mismatch is refused beside the field, nothing written) and confirms 公示后不可修改;
- the public pages (look-up, 学校列表 with its search box, a school's warnings) are cards in the
  warning colour and never wider than the phone."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from mofang.governance.enrollment import draws, registration, services
from mofang.governance.enrollment.models import Community, Draw, DrawStatus, Registration, RegistrationStatus
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.people.identity import id_check_digit
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}


@pytest.fixture
def county():
    """常山县第一小学 with 40 seats and 45 children in its 学区 (红色), one registered child."""
    tree = build_tree()
    year = services.intake_years()[0]
    community = services.save_community(tree.county, "定阳花园", primary_schools=[tree.school], acting_user=None)
    services.set_intake_plan(tree.school, year, "primary", classes=1, class_size=40, acting_user=None)
    services.save_community(tree.other_county, "江山小区", primary_schools=[tree.other_school], acting_user=None)
    start, _end = services.cohort_range("primary", year)
    services.add_household_children(
        tree.county,
        [
            {"record_no": f"P{n}", "birth_date": start, "community": community, "registration": "household"}
            for n in range(45)
        ],
        acting_user=None,
    )
    first17 = "330822" + start.strftime("%Y%m%d") + "123"
    parent = parent_user_for("13812345678")
    [reg] = registration.submit_registration(
        owner=parent,
        children=[{"name": "李小明", "id_number": first17 + id_check_digit(first17)}],
        community=Community.objects.get(pk=community.pk),
        registration_type="household",
        address="定阳花园3幢201",
        residence_proof="property",
        public_school=tree.school,
        acting_user=parent,
    )
    tree.reg, tree.parent, tree.year = reg, parent, year
    return tree


def _published(tree):
    d = draws.create_draw(tree.county, tree.year, acting_user=None)
    draws.enter_seed(d, "20260601", acting_user=None)
    draws.run_draw(d, acting_user=None)
    return draws.publish_draw(d, acting_user=None)


@pytest.fixture
def open_page(browser, live_server):
    """A page of its own context at a viewport, signed in as a user (a parent by their session,
    since parents log in by SMS code; staff through the login form)."""
    contexts = []

    def open_as(user, viewport):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(15000)
        if user.has_usable_password():
            login(pg, user.username)
        else:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        return pg

    yield open_as
    for context in contexts:
        context.close()


def _fits(pg, width: int) -> None:
    scroll = pg.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{pg.url} is {scroll}px wide at {width}"


def _answer(pg, accept: bool, said: list):
    """Answer the next confirm() dialog, noting what it said."""

    def handle(dialog):
        said.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    pg.once("dialog", handle)


def test_withdrawing_before_the_draw_asks_first(county, open_page):
    pg = open_page(county.parent, PHONE)
    pg.goto("/enrollment/my/")
    mine = pg.locator("#my-registrations")
    assert "待派位" in mine.inner_text()
    _fits(pg, 390)
    withdraw = mine.get_by_role("button", name=re.compile("^撤回"))
    said = []
    _answer(pg, False, said)
    withdraw.click()
    pg.wait_for_timeout(500)
    county.reg.refresh_from_db()
    assert county.reg.status == RegistrationStatus.SUBMITTED, "withdrawn at one click, without a confirmation"
    assert said and "确认撤回李小明" in said[0]
    _answer(pg, True, said)
    with pg.expect_navigation():
        withdraw.click()
    assert "已撤回李小明的报名" in pg.locator("main").inner_text()
    assert pg.locator(".reg-card .state").inner_text() == "已撤回"


def test_an_admitted_child_gives_the_seat_up_through_the_school(county, open_page):
    _published(county)
    school = county.school.name
    pg = open_page(county.parent, PHONE)
    pg.goto("/enrollment/my/")
    mine = pg.locator("#my-registrations")
    # one state: never 已报名 beside 已录取, and no one-click withdrawal of an admitted child
    assert f"已录取：{school}" in mine.inner_text()
    assert "已报名" not in mine.inner_text(), "the row reads 已报名 beside 已录取"
    assert mine.get_by_role("button", name=re.compile("^撤回")).count() == 0, "an admitted child withdrawn at a click"
    card = pg.locator(".reg-card", has_text="李小明")
    assert card.locator(".state").inner_text() == f"已录取：{school}"
    assert card.get_by_role("link", name="下载录取通知书").is_visible()
    _fits(pg, 390)

    card.locator("summary", has_text="申请放弃录取").click()
    card.get_by_label("放弃原因").fill("随父母工作调动去杭州")
    said = []
    _answer(pg, True, said)
    with pg.expect_navigation():
        card.get_by_role("button", name="申请放弃录取").click()
    assert school in said[0] and "不可恢复" in said[0] and "学位" in said[0]
    card = pg.locator(".reg-card", has_text="李小明")
    assert card.locator(".state").inner_text() == "放弃申请待学校确认"
    county.reg.refresh_from_db()
    assert county.reg.status == RegistrationStatus.SUBMITTED  # the school decides
    _fits(pg, 390)

    # the principal, at a desk: the to-do, the filtered list, the request, 确认放弃
    make_user("p_cs1", "principal", county.school, full_name="第一小学校长")
    from mofang.platform.accounts.models import User

    staff = open_page(User.objects.get(username="p_cs1"), DESK)
    staff.goto("/")
    with staff.expect_navigation():
        staff.locator("#todos a", has_text="待确认放弃录取申请").click()
    assert "waiver_status=pending" in staff.url
    with staff.expect_navigation():
        staff.get_by_role("link", name="李小明").click()
    assert "随父母工作调动去杭州" in staff.locator("main").inner_text()
    said = []
    _answer(staff, True, said)
    with staff.expect_navigation():
        staff.get_by_role("button", name="确认放弃").click()
    assert "不可恢复" in said[0] and school in said[0]
    assert "已确认放弃录取" in staff.locator("main").inner_text()

    pg.goto("/enrollment/my/")
    card = pg.locator(".reg-card", has_text="李小明")
    assert card.locator(".state").inner_text() == f"已放弃录取：{school}"
    assert card.get_by_role("link", name="下载录取通知书").count() == 0
    _fits(pg, 390)


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_the_notary_enters_the_seed_deliberately(county, open_page, viewport):
    d = draws.create_draw(county.county, county.year, acting_user=None)
    notary = make_user("notary_cs", "notary", county.county, full_name="常山县公证员")
    pg = open_page(notary, viewport)
    pg.goto("/")
    with pg.expect_navigation():
        pg.locator("#todos a", has_text="待录入随机种子").click()
    assert pg.url.endswith(f"/enrollment/manage/draws/{d.pk}/")
    assert "8位数字（0–9）" in pg.locator("#seed-rule").inner_text()
    assert "公示后不可修改" in pg.locator("#seed-rule").inner_text()
    if viewport is PHONE:
        _fits(pg, 390)

    said = []
    # a seed such as "12ab" is not published: the page refuses it before anything is sent
    pg.fill("#seed", "12ab")
    pg.fill("#seed_again", "12ab")
    _answer(pg, True, said)
    pg.get_by_role("button", name="录入并公布种子").click()
    pg.wait_for_timeout(300)
    assert pg.evaluate("document.querySelector('#seed').validity.valid") is False
    d.refresh_from_db()
    assert d.status == DrawStatus.DRAFT and d.seed == ""

    # two entries that differ: refused beside the second field, nothing written
    pg.fill("#seed", "20260615")
    pg.fill("#seed_again", "20260651")
    _answer(pg, True, said)
    with pg.expect_navigation():
        pg.get_by_role("button", name="录入并公布种子").click()
    assert "两次输入的随机种子不一致" in pg.locator("[data-field=seed_again]").inner_text()
    d.refresh_from_db()
    assert d.status == DrawStatus.DRAFT and d.seed == ""

    # the same twice; the confirmation says it cannot be changed once public; dismissing it keeps the draft
    pg.fill("#seed", "20260615")
    pg.fill("#seed_again", "20260615")
    said.clear()
    _answer(pg, False, said)
    pg.get_by_role("button", name="录入并公布种子").click()
    pg.wait_for_timeout(300)
    assert "公示后不可修改" in said[0]
    d.refresh_from_db()
    assert d.status == DrawStatus.DRAFT
    _answer(pg, True, said)
    with pg.expect_navigation():
        pg.get_by_role("button", name="录入并公布种子").click()
    assert "随机种子：20260615" in pg.locator("main").inner_text()
    d.refresh_from_db()
    assert d.status == DrawStatus.SEEDED and d.seed == "20260615"
    pg.goto("/")
    assert pg.locator("#todos a", has_text="待录入随机种子").count() == 0


def test_the_public_pages_are_cards_in_the_warning_colour_on_a_phone(county, open_page, browser, live_server):
    _published(county)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    try:
        pg.goto("/enrollment/")
        _fits(pg, 390)
        pg.fill("input[name=q]", services.name_initials(county.school.name))
        pg.press("input[name=q]", "Enter")
        hit = pg.locator("#school-results .school-card", has_text=county.school.name)
        hit.wait_for()
        assert hit.get_attribute("data-level") == "red" and "红色" in hit.inner_text()
        _fits(pg, 390)

        with pg.expect_navigation():
            pg.locator("#school-list-link").click()
        assert pg.get_by_role("searchbox", name="搜索学校").is_visible()
        cards = pg.locator("#school-list .school-card")
        assert cards.count() == 2
        _fits(pg, 390)
        pg.fill("input[name=q]", "实验")
        pg.press("input[name=q]", "Enter")
        # (a locator, not wait_for_function: the page's CSP forbids evaluating a string as script)
        expect(pg.locator("#school-list .school-card")).to_have_count(1)
        assert "江山市实验小学" in pg.locator("#school-list").inner_text()

        pg.goto(f"/enrollment/schools/{county.school.pk}/")
        first = pg.locator(".warn-card").first
        assert first.is_visible() and first.get_attribute("data-level") == "red"
        assert not pg.locator(".warn-table").first.is_visible()  # the wide table is for the desk
        _fits(pg, 390)

        for url in ["/enrollment/draws/", f"/enrollment/draws/{Draw.objects.get().pk}/"]:
            pg.goto(url)
            _fits(pg, 390)

        pg.set_viewport_size(DESK)
        pg.goto(f"/enrollment/schools/{county.school.pk}/")
        assert pg.locator(".warn-table").first.is_visible() and not pg.locator(".warn-card").first.is_visible()
    finally:
        context.close()
    assert Registration.objects.count() == 1
