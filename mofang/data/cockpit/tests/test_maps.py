"""The maps: shipped outlines for every city and county under today's GB/T 2260 codes, a city drawn
as a choropleth of its counties, a county as its outline with its schools on it, and one fixed,
direction-aware colour scale whose legend is the map's own colours."""

import csv
import json

import pytest
from django.core.cache import cache

from mofang.platform.indicators.models import Direction
from mofang.platform.orgs import boundaries as shipped

from .. import scale
from .conftest import FACTS
from .test_pages import Q

COUNTIES = shipped.DIR.parents[2] / "data" / "counties.csv"


@pytest.fixture(autouse=True)
def fresh_figures():
    """The cockpit caches a region's figures for five minutes by org id: a test that changes the
    facts must not read (or leave behind) another test's figures for the same ids."""
    cache.clear()
    yield
    cache.clear()


def counties() -> list[dict]:
    with COUNTIES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.nodb
def test_every_county_of_the_division_list_has_an_outline_in_its_city_file():
    rows = counties()
    for row in rows:
        f = shipped.feature(row["code"])
        assert f is not None, row
        assert f["properties"]["name"] == row["name"]
        assert shipped.contains(f, *f["properties"]["cp"]), row  # the label point lies inside
    # and each city file holds exactly that city's counties: no abolished code survives
    for city in {r["cityCode"] for r in rows}:
        data = shipped.load(city + "00")
        assert sorted(f["id"] for f in data["features"]) == sorted(r["code"] for r in rows if r["cityCode"] == city)


@pytest.mark.nodb
def test_the_2021_hangzhou_districts_replace_the_old_ones():
    hz = {f["properties"]["name"]: f for f in shipped.load("330100")["features"]}
    assert {"临平区", "钱塘区", "临安区"} <= set(hz) and not {"下城区", "江干区", "临安市"} & set(hz)
    # 拱墅 = 原下城 + 原拱墅 (a union, one polygon); 钱塘 straddles the river (two parts)
    assert hz["拱墅区"]["geometry"]["type"] == "Polygon" and hz["钱塘区"]["geometry"]["type"] == "MultiPolygon"
    # the cut districts carry their approximation, with areas near the official ones (km²)
    for name, official in (("临平区", 286.0), ("钱塘区", 531.7)):
        assert "近似" in hz[name]["properties"]["approx"] and abs(hz[name]["properties"]["km2"] - official) < 15
    wz = {f["properties"]["name"]: f for f in shipped.load("330300")["features"]}
    assert wz["龙港市"]["id"] == "330383" and abs(wz["龙港市"]["properties"]["km2"] - 184) < 10
    assert shipped.feature("331083")["properties"]["name"] == "玉环市"
    assert shipped.feature("330213")["properties"]["name"] == "奉化区"


@pytest.mark.nodb
def test_the_shipped_boundaries_are_small_and_the_province_file_has_the_eleven_cities():
    codes = sorted(f["properties"]["code"] for f in shipped.load("330000")["features"])
    assert codes == [f"33{n:02d}00" for n in range(1, 12)]
    sizes = [p.stat().st_size for p in shipped.DIR.glob("*.json")]
    assert len(sizes) == 12 and max(sizes) < 120_000 and sum(sizes) < 900_000


@pytest.mark.nodb
def test_a_point_placed_inside_an_outline_is_inside_it():
    f = shipped.feature("330822")  # 常山县
    for u, v in ((0.0, 0.0), (0.99, 0.99), (0.5, 0.01), (0.01, 0.7)):
        assert shipped.contains(f, *shipped.place_inside(f, u, v))
    assert not shipped.contains(f, 120.0, 30.0)


@pytest.mark.nodb
def test_colours_are_fixed_per_indicator_and_follow_its_direction():
    rate = {"code": "x_rate", "unit": "%", "direction": "higher"}
    worse = {"code": "x_rate", "unit": "%", "direction": "lower"}
    pieces = scale.pieces(rate)
    assert [p.label for p in pieces] == ["低于60%", "60～70%", "70～80%", "80～90%", "90%及以上"]
    # higher is better: the top class green, the bottom red; lower is better: the reverse
    assert scale.colour_of(95, pieces)[0] == "#1a9850" and scale.colour_of(10, pieces)[0] == "#d73027"
    assert scale.colour_of(95, scale.pieces(worse))[0] == "#d73027"
    assert scale.colour_of(None, pieces) == ("#9e9e9e", "暂无数据")
    assert scale.colour_of(80, pieces)[1] == "80～90%"  # a break belongs to the class above it


def test_a_city_map_is_a_choropleth_of_its_counties_coloured_from_the_legend(world, client_for):
    data = json.loads(client_for(world.city_admin).get(f"/cockpit/data/?{Q}").content)
    assert data["mode"] == "geo"
    feats = {f["properties"]["org_id"]: f for f in data["geo"]["features"]}
    assert set(feats) == {world.county.pk, world.other_county.pk}
    assert feats[world.county.pk]["properties"]["code"] == "330822"
    legend = {p["colour"] for p in data["scale"]["pieces"]} | {data["scale"]["no_data"]["colour"]}
    rows = {r["id"]: r for r in data["children"]}
    assert rows[world.county.pk]["value"] == 86.4 and rows[world.county.pk]["colour"] == "#91cf60"
    assert all(r["colour"] in legend for r in rows.values())


def test_the_same_value_has_the_same_colour_at_every_level_and_no_value_is_grey(world, client_for):
    for code in ("ck.num", "ck.den"):  # 江山's only school reports nothing: 江山 has no value
        FACTS[code].pop(world.other_school.pk)
    city = json.loads(client_for(world.city_admin).get(f"/cockpit/data/?{Q}").content)
    prov = json.loads(client_for(world.province_admin).get(f"/cockpit/data/?{Q}").content)
    assert city["scale"]["pieces"] == prov["scale"]["pieces"]  # not rescaled to the view's values
    js = next(r for r in city["children"] if r["id"] == world.other_county.pk)
    assert js["value"] is None and (js["colour"], js["band"]) == ("#9e9e9e", "暂无数据")
    html = client_for(world.city_admin).get(f"/cockpit/?{Q}").content.decode()
    assert 'data-colour="#9e9e9e"><span class="swatch" style="background-color: #9e9e9e"></span>暂无数据' in html


def test_a_lower_is_better_indicator_turns_the_scale_round(world, client_for):
    world.rate.direction = Direction.LOWER
    world.rate.save()
    data = json.loads(client_for(world.city_admin).get(f"/cockpit/data/?{Q}").content)
    assert data["scale"]["direction"] == "lower" and data["scale"]["pieces"][-1]["colour"] == "#d73027"
    html = client_for(world.city_admin).get(f"/cockpit/?{Q}").content.decode()
    assert "越低越好：绿色为低、红色为高" in html


def test_a_county_map_is_its_outline_with_its_schools_on_it(world, client_for):
    data = json.loads(client_for(world.county_admin).get(f"/cockpit/data/?{Q}").content)
    assert data["mode"] == "points"
    (outline,) = data["geo"]["features"]
    assert outline["properties"]["code"] == "330822"
    for r in data["children"]:
        assert shipped.contains(outline, r["lon"], r["lat"]), r["name"]
    school = json.loads(client_for(world.county_admin).get(f"/cockpit/data/?region={world.school.pk}&{Q}").content)
    assert school["mode"] == "point" and school["geo"]["features"][0]["properties"]["code"] == "330822"


def test_a_region_without_a_shipped_outline_falls_back_to_tiles(world, client_for):
    world.city.code = "990100"
    world.city.save(update_fields=["code"])
    data = json.loads(client_for(world.city_admin).get(f"/cockpit/data/?{Q}").content)
    assert data["mode"] == "tiles" and all(r["tile"] is not None for r in data["children"])


def test_the_legend_names_the_districts_whose_outline_is_approximated(world, client_for):
    world.county.code, world.county.name = "330113", "临平区"  # a district cut out of the old 余杭区
    world.county.save(update_fields=["code", "name"])
    html = client_for(world.county_admin).get(f"/cockpit/?{Q}").content.decode()
    assert "近似边界：临平区" in html
    html = client_for(world.other_admin).get(f"/cockpit/?{Q}").content.decode()
    assert "近似边界" not in html  # 江山市's outline is the package's own
