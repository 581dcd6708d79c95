"""教育智治一张图 in Chromium: a city administrator drills from the city's county map to a county
(its schools drawn as points) and on to a school by clicking the map; a county administrator sees
no other county in the map, the cards or the tables; the 大屏 refreshes itself without chrome."""

from decimal import Decimal

import pyotp
import pytest

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.indicators.models import Indicator, Target
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType
from mofang.platform.testing import add, build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VALUES: dict[str, dict[int, int]] = {"ckb.num": {}, "ckb.den": {}}


@pytest.fixture
def world():
    sync_roles()
    for code in VALUES:
        VALUES[code].clear()
        register_fact_source(FactSource(code, code, lambda p, c=code: list(VALUES[c].items())))
    tree = build_tree()
    OrgUnit.objects.filter(pk=tree.school.pk).update(longitude="118.511000", latitude="28.902000")
    OrgUnit.objects.filter(pk=tree.other_school.pk).update(longitude="118.620000", latitude="28.740000")
    second = add(
        tree.county,
        "常山县第二小学",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.PRIMARY,
        longitude="118.560000",
        latitude="28.950000",
    )
    VALUES["ckb.num"].update({tree.school.pk: 45, second.pk: 30, tree.other_school.pk: 20})
    VALUES["ckb.den"].update({tree.school.pk: 50, second.pk: 50, tree.other_school.pk: 40})
    ind = Indicator.objects.create(
        code="ckb_rate",
        name="课后服务参与率（测试）",
        numerator="ckb.num",
        denominator="ckb.den",
        unit="%",
        factor=Decimal(100),
        decimals=1,
        order=0,
    )
    Target.objects.create(indicator=ind, org=tree.county, year=2026, value=Decimal("70"))
    make_user("ckb_province", "province_admin", tree.province, full_name="浙江省教育厅")
    make_user("ckb_city", "city_admin", tree.city, full_name="衢州市教育局")
    make_user("ckb_county", "county_admin", tree.county, full_name="常山县教育局")
    yield tree
    for code in VALUES:
        FACT_SOURCES.pop(code, None)


def sign_in(page, username):
    login(page, username)
    if "/accounts/otp/" in page.url:  # a city administrator enrols and verifies the authenticator
        secret = page.locator("#totp-secret").inner_text()
        page.fill("#id_token", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)  # verified (a click does not wait for it)


def click_on_map(page, org_id):
    # wait for the drawing to settle: a scatter mark grows from nothing while it animates in, and
    # a click on a mark still growing misses it
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    xy = page.evaluate(f"MofangCockpit.pixelOf({org_id})")
    assert xy, f"org {org_id} is not drawn on the map"
    # click the mark through the map element, not at window coordinates: the map is 520px high and
    # its lower marks lie near or below the fold (a school point at y≈690 of a 720px window), so
    # anything above the map one line taller — a wrapped form, a message — put the mark outside the
    # window and the click went nowhere. The locator scrolls the point itself into view first.
    with page.expect_navigation():
        page.locator("#cockpit-map").click(position={"x": xy[0], "y": xy[1]})


@pytest.mark.parametrize("height", [720, 560])  # a short window puts the school's point below the fold
def test_a_city_user_drills_from_the_city_map_to_a_county_and_a_school(page, world, height):
    tree = world
    page.set_viewport_size({"width": 1280, "height": height})
    sign_in(page, "ckb_city")
    page.goto("/cockpit/?indicator=ckb_rate&period=2026")
    assert page.locator("h1").inner_text() == "衢州市教育智治一张图"
    assert "数据截至" in page.locator(".map-legend").inner_text()
    league = page.locator("table.league tbody").inner_text()
    assert league.index("常山县") < league.index("江山市")  # 75.0% before 50.0%
    assert "75.0%" in league and "50.0%" in league

    click_on_map(page, tree.county.pk)  # 常山县 on the city's county outlines
    assert page.locator("h1").inner_text() == "常山县教育智治一张图"
    assert "衢州市" in page.locator(".cockpit-crumbs").inner_text()
    league = page.locator("table.league tbody").inner_text()
    assert "常山县第一小学" in league and "常山县第二小学" in league and "江山" not in league
    assert page.evaluate("MofangCockpit.chart().getOption().series[0].data.length") == 2  # schools as points

    click_on_map(page, tree.school.pk)
    assert page.locator("h1").inner_text() == "常山县第一小学教育智治一张图"
    cards = page.locator("table.cards-table").inner_text()
    assert "课后服务参与率（测试）" in cards and "90.0%" in cards


def test_the_province_map_draws_city_boundaries_and_a_click_drills_to_the_city(page, world, tmp_path):
    sign_in(page, "ckb_province")
    page.goto("/cockpit/?indicator=ckb_rate&period=2026")
    assert page.locator("h1").inner_text() == "浙江省教育智治一张图"
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    assert page.evaluate("MofangCockpit.chart().getOption().series[0].type") == "map"
    page.locator("#cockpit-map").screenshot(path=str(tmp_path / "province.png"))
    click_on_map(page, world.city.pk)  # 衢州市, drawn from the shipped boundary file
    assert page.locator("h1").inner_text() == "衢州市教育智治一张图"


def test_a_county_user_sees_no_other_county_in_map_cards_or_tables(page, world):
    tree = world
    sign_in(page, "ckb_county")
    page.goto("/cockpit/?indicator=ckb_rate&period=2026")
    assert page.locator("h1").inner_text() == "常山县教育智治一张图"
    names = page.evaluate("MofangCockpit.chart().getOption().series[0].data.map(function (d) { return d.name; })")
    assert sorted(names) == ["常山县第一小学", "常山县第二小学"]
    body = page.locator("main").inner_text()
    assert "江山" not in body and "衢州市" not in body
    card = page.locator(".icard[data-code=ckb_rate]").inner_text()
    assert "75.0" in card and "已达标" in card  # (45+30)/(50+50) against 70
    assert page.evaluate(f"MofangCockpit.pixelOf({tree.other_school.pk})") is None
    r = page.goto(f"/cockpit/?region={tree.other_county.pk}")
    assert r.status == 404


def test_the_wall_screen_is_dark_has_no_navigation_and_refreshes_itself(page, world):
    sign_in(page, "ckb_county")
    page.goto("/cockpit/screen/?indicator=ckb_rate&period=2026&refresh=10")
    assert page.locator("body.cockpit-screen").count() == 1 and page.locator("nav.mainnav").count() == 0
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(6, 26, 44)"
    VALUES["ckb.num"][world.school.pk] = 50  # the next refresh reads the source again
    from mofang.platform.indicators import analytics

    analytics.refresh_fact("ckb.num", "2026", full=True)
    page.wait_for_selector("body[data-refreshed]", state="attached", timeout=20000)
    assert "80.0" in page.locator(".icard[data-code=ckb_rate]").inner_text()
