"""The maps in Chromium, read from what ECharts painted (its SVG renderer): a city is one filled
outline per county, each filled with the legend's colour for its value (grey 暂无数据 where there is
none); a county is its outline with its schools as points in geo coordinates; the case, hazard
report and school district maps draw the county's outline with their points on it, and none of
the four maps has cartesian axes. The 大屏 fits 1920×1080 with light text on the dark ground."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mofang.governance.campus_safety import services as safety
from mofang.governance.campus_safety.cases import ROUTES
from mofang.governance.enrollment import services as enrollment
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases import routing
from mofang.platform.indicators.models import Indicator
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType
from mofang.platform.testing import add, build_tree, make_user

from .conftest import login
from .test_cockpit_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VALUES: dict[str, dict[int, int]] = {"mp.num": {}, "mp.den": {}}
Q = "indicator=mp_rate&period=2026"
QUZHOU_OTHERS = (("330802", "柯城区"), ("330803", "衢江区"), ("330824", "开化县"), ("330825", "龙游县"))

# The painted fills of the map's regions and marks, as rgb() strings (ECharts writes fill="#…" or rgb()).
FILLS = """(sel) => Array.from(document.querySelectorAll(sel + " svg path")).map(function (p) {
  var f = p.getAttribute("fill"); if (!f || f === "none" || f === "transparent") { return null; }
  var probe = document.createElement("i"); probe.style.color = f; document.body.appendChild(probe);
  var rgb = getComputedStyle(probe).color; probe.remove();
  return {fill: rgb, opacity: p.getAttribute("fill-opacity"), d: (p.getAttribute("d") || "").length};
}).filter(Boolean)"""

NO_AXES = """(id) => { var c = echarts.getInstanceByDom(document.getElementById(id)), o = c.getOption();
  return {x: (o.xAxis || []).length, y: (o.yAxis || []).length, grid: (o.grid || []).length, geo: (o.geo || []).length,
          series: o.series.map(function (s) { return s.type + ":" + (s.coordinateSystem || s.type); })}; }"""


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.fixture
def world():
    sync_roles()
    for code in VALUES:
        VALUES[code].clear()
        register_fact_source(FactSource(code, code, lambda p, c=code: list(VALUES[c].items())))
    tree = build_tree()
    OrgUnit.objects.filter(pk=tree.school.pk).update(longitude="118.511000", latitude="28.902000")
    OrgUnit.objects.filter(pk=tree.other_school.pk).update(longitude="118.620000", latitude="28.740000")
    tree.second = add(
        tree.county,
        "常山县第二小学",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.PRIMARY,
        longitude="118.560000",
        latitude="28.950000",
    )
    tree.others = [add(tree.city, name, OrgKind.COUNTY, code) for code, name in QUZHOU_OTHERS]
    # 常山 (45+30)/(50+50) = 75% (70–80), 江山 38/40 = 95% (≥90); the four others have no school: no data
    VALUES["mp.num"].update({tree.school.pk: 45, tree.second.pk: 30, tree.other_school.pk: 38})
    VALUES["mp.den"].update({tree.school.pk: 50, tree.second.pk: 50, tree.other_school.pk: 40})
    Indicator.objects.create(
        code="mp_rate",
        name="课后服务参与率（地图测试）",
        numerator="mp.num",
        denominator="mp.den",
        unit="%",
        factor=Decimal(100),
        decimals=1,
        order=0,
    )
    make_user("mp_city", "city_admin", tree.city, full_name="衢州市教育局")
    make_user("mp_county", "county_admin", tree.county, full_name="常山县教育局")
    tree.principal = make_user("mp_principal", "principal", tree.school, full_name="常山县第一小学校长")
    yield tree
    for code in VALUES:
        FACT_SOURCES.pop(code, None)


def legend(page) -> dict[str, str]:
    """{label: painted rgb colour} of the legend's swatches."""
    items = page.locator(".legend-piece")
    out = {}
    for i in range(items.count()):
        item = items.nth(i)
        out[item.inner_text().strip()] = item.locator(".swatch").evaluate("e => getComputedStyle(e).backgroundColor")
    return out


def test_the_city_map_fills_one_outline_per_county_with_the_legends_colours(page, world):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "mp_city")
    page.goto(f"/cockpit/?{Q}")
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    colours = legend(page)
    assert list(colours) == ["低于60%", "60～70%", "70～80%", "80～90%", "90%及以上", "暂无数据"]
    # higher is better: red at the bottom, green at the top, grey for no data
    assert colours["低于60%"] == rgb("#d73027") and colours["90%及以上"] == rgb("#1a9850")
    assert colours["暂无数据"] == rgb("#9e9e9e")
    assert "越高越好：绿色为高" in page.locator(".map-legend").inner_text()

    regions = page.evaluate(FILLS, "#cockpit-map")
    painted = sorted(r["fill"] for r in regions)
    # six counties of 衢州, six filled outlines: 常山 75% (70–80), 江山 95% (≥90), four without data
    expected = sorted([colours["70～80%"], colours["90%及以上"]] + [colours["暂无数据"]] * 4)
    assert painted == expected, regions
    assert set(painted) <= set(colours.values())  # every colour on the map is in the legend
    opt = page.evaluate(NO_AXES, "cockpit-map")
    assert opt == {"x": 0, "y": 0, "grid": 0, "geo": 0, "series": ["map:geo"]}
    # the tooltip names the class: the same words as the legend
    names = page.evaluate(
        "MofangCockpit.chart().getOption().series[0].data.map(function (d) { return d.name + '=' + d.row.band; })"
    )
    assert "常山县=70～80%" in names and "开化县=暂无数据" in names


def test_the_county_map_is_its_outline_with_its_schools_as_geo_points(page, world):
    sign_in(page, "mp_county")
    page.goto(f"/cockpit/?{Q}")
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    opt = page.evaluate(NO_AXES, "cockpit-map")
    assert opt == {"x": 0, "y": 0, "grid": 0, "geo": 1, "series": ["scatter:geo"]}
    outline = page.evaluate("MofangCockpit.chart().getOption().geo[0].map")
    codes = page.evaluate(f"echarts.getMap('{outline}').geoJSON.features.map(function (f) {{ return f.id; }})")
    assert codes == ["330822"]  # 常山县's own outline
    # one painted outline and one mark per school (filled by the scale: 90% green-ish, 60% yellow)
    fills = page.evaluate(FILLS, "#cockpit-map")
    big = [f for f in fills if f["d"] > 200]
    assert len(big) == 1, fills  # the outline
    marks = [f["fill"] for f in fills if f["d"] <= 200]
    assert sorted(marks) == sorted([rgb("#1a9850"), rgb("#fc8d59")]), marks
    # each school's point lies on the outline: ECharts finds the region under the school's pixel
    for pk in (world.school.pk, world.second.pk):
        xy = page.evaluate(f"MofangCockpit.pixelOf({pk})")
        inside = page.evaluate(
            "xy => MofangCockpit.chart().getModel().getComponent('geo', 0).coordinateSystem"
            ".getRegionByCoord(MofangCockpit.chart().convertFromPixel({geoIndex: 0}, xy)) !== null",
            xy,
        )
        assert inside, pk


def test_a_school_is_drawn_on_its_countys_outline(page, world):
    sign_in(page, "mp_county")
    page.goto(f"/cockpit/?region={world.school.pk}&{Q}")
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    assert page.evaluate(NO_AXES, "cockpit-map") == {"x": 0, "y": 0, "grid": 0, "geo": 1, "series": ["scatter:geo"]}


def test_case_hazard_and_district_maps_draw_the_county_outline_with_points_and_no_axes(page, world):
    admin = make_user("mp_admin", "county_admin", world.county, full_name="常山县管理员")
    routing.save_rule(ROUTES, world.county, "traffic", world.department, acting_user=admin)
    case = safety.report_hazard(
        world.school,
        acting_user=world.principal,
        category="traffic",
        severity="normal",
        title="校门口占道",
        lon=Decimal("118.52"),
        lat=Decimal("28.91"),
    )
    enrollment.save_community(
        world.county, "定阳花园", primary_schools=[world.school], longitude="118.52", latitude="28.91", acting_user=None
    )

    # the public school page (no login): the school and its community on 常山县's outline
    page.goto(reverse("enrollment:school", args=[world.school.pk]))
    page.wait_for_selector("#district-map[data-state=ready]")
    assert page.get_attribute("#district-map", "data-outline") == "330822"
    opt = page.evaluate(NO_AXES, "district-map")
    assert opt["x"] == opt["y"] == opt["grid"] == 0 and opt["geo"] == 1
    assert opt["series"] == ["scatter:geo", "scatter:geo"]

    login(page, "mp_principal")
    page.goto(reverse("campus_safety:report"))
    page.wait_for_selector("#school-map[data-state=ready]")
    assert page.get_attribute("#school-map", "data-outline") == "330822"
    opt = page.evaluate(NO_AXES, "school-map")
    assert opt["x"] == opt["y"] == opt["grid"] == 0 and opt["geo"] == 1 and set(opt["series"]) == {"scatter:geo"}
    # a click on the outline fills in a position inside the county
    xy = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('school-map')).convertToPixel({geoIndex: 0}, [118.45, 28.95])"
    )
    page.locator("#school-map").click(position={"x": xy[0], "y": xy[1]})
    assert page.input_value("#id_lon").startswith("118.4") and page.input_value("#id_lat").startswith("28.9")

    page.goto(f"/cases/{case.pk}/")
    page.wait_for_selector("#case-map[data-state=ready]")
    assert page.get_attribute("#case-map", "data-outline") == "330822"
    opt = page.evaluate(NO_AXES, "case-map")
    assert opt == {"x": 0, "y": 0, "grid": 0, "geo": 1, "series": ["scatter:geo"]}


LIGHT = """(el) => { var m = getComputedStyle(el).color.match(/\\d+(\\.\\d+)?/g).map(Number);
  return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255; }"""

OVERFLOW = """() => { var W = window.innerWidth, H = window.innerHeight, out = [];
  var clipped = function (el) { for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    var s = getComputedStyle(p); if (/(auto|scroll|hidden)/.test(s.overflowY + s.overflowX)) { return true; } } return false; };
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (!r.width || !r.height || s.visibility === "hidden" || s.display === "none" || clipped(el)) { return; }
    if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1) { out.push(el.tagName + "." + el.className + " " + JSON.stringify([r.left, r.top, r.right, r.bottom])); }
    if (el.scrollWidth > el.clientWidth + 1 && s.overflowX === "visible" && el.children.length === 0) { out.push("text cut: " + el.tagName + "." + el.className); }
  });
  return {out: out, sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight}; }"""


@pytest.mark.parametrize("who", ["mp_city", "mp_county"])
def test_the_wall_screen_fits_1920_by_1080_with_light_text(page, world, who):
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, who)
    page.goto(f"/cockpit/screen/?{Q}")
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    found = page.evaluate(OVERFLOW)
    assert found["sw"] <= 1920 and found["sh"] <= 1080 and found["out"] == [], found
    # the map fills most of the screen
    box = page.locator("#cockpit-map").bounding_box()
    assert box["width"] > 900 and box["height"] > 700, box
    # every piece of text on the page is light on the dark ground
    for sel in (
        "h1",
        "h2",
        ".screen-meta",
        ".legend-title",
        ".legend-piece",
        ".legend-meta",
        "table.league td",
        "table.league th",
        ".icard-name",
        ".icard-value",
        ".stat .label",
    ):
        loc = page.locator(sel)
        for i in range(loc.count()):
            assert loc.nth(i).evaluate(LIGHT) > 0.6, (sel, i, loc.nth(i).inner_text())
    # and so are the map's own labels (SVG text painted by ECharts)
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll("#cockpit-map svg text")).map(function (t) {
          var probe = document.createElement("i"); probe.style.color = t.getAttribute("fill"); document.body.appendChild(probe);
          var m = getComputedStyle(probe).color.match(/\\d+/g).map(Number); probe.remove();
          return [t.textContent, (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255]; })"""
    )
    assert labels and all(lum > 0.6 for _, lum in labels), (labels, page.locator("#cockpit-map").inner_html()[:3000])
