"""The cockpit as its users see it: the map's root is their own region, drill-down goes one level
at a time, the league table ranks children by the indicator's direction, cards show the value
against the target, and nothing outside the user's region appears or is counted."""

import json

import pytest
from django.utils import timezone

from mofang.governance.campus_safety.cases import CODE as HAZARD
from mofang.platform.cases import services as cases
from mofang.platform.indicators.models import Direction

from .. import figures

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)
LAST_YEAR = str(int(THIS_YEAR) - 1)

Q = f"indicator=ck_rate&period={THIS_YEAR}"


def page(c, url):
    r = c.get(url)
    assert r.status_code == 200, r.content.decode()[:300]
    return r.content.decode()


def league(html):
    body = html.split('<table class="league">', 1)[1].split("</table>", 1)[0]
    import re

    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr data-org.*?</tr>", body, re.S)
    ]


def test_a_county_user_sees_the_county_and_its_schools_and_nothing_of_another_county(world, client_for):
    c = client_for(world.county_admin)
    html = page(c, f"/cockpit/?{Q}")
    assert "常山县教育智治一张图" in html
    assert "常山县第一小学" in html and "常山县第二小学" in html
    assert "江山市" not in html and "衢州市" not in html  # not even in the breadcrumb
    rows = league(html)
    assert rows[0][:3] == ["1", "常山县第一小学", "90.0%"] and rows[1][:3] == ["2", "常山县第二小学", "50.0%"]
    assert '<div class="label">学校数</div><div class="value">2</div>' in html
    data = json.loads(c.get(f"/cockpit/data/?{Q}").content)
    assert data["mode"] == "points" and {r["name"] for r in data["children"]} == {"常山县第一小学", "常山县第二小学"}
    assert "江山" not in json.dumps(data, ensure_ascii=False)
    assert c.get(f"/cockpit/?region={world.other_county.pk}").status_code == 404
    assert c.get(f"/cockpit/data/?region={world.other_school.pk}").status_code == 404
    assert c.get(f"/cockpit/?region={world.city.pk}").status_code == 404


def test_a_city_user_sees_a_choropleth_of_counties_ranked_by_the_indicator(world, client_for):
    c = client_for(world.city_admin)
    html = page(c, f"/cockpit/?{Q}")
    rows = league(html)
    assert [r[:3] for r in rows] == [["1", "常山县", "86.4%"], ["2", "江山市", "80.0%"]]
    assert rows[0][3:] == ["85.0%", "已达标"] and rows[1][3:] == ["85.0%", "未达标"]
    data = json.loads(c.get(f"/cockpit/data/?{Q}").content)
    assert data["mode"] == "geo"  # the city's county outlines (mofang/platform/orgs boundaries)
    assert {f["properties"]["org_id"] for f in data["geo"]["features"]} == {world.county.pk, world.other_county.pk}
    assert data["as_of"] and "数据截至" in html


def test_a_lower_is_better_indicator_ranks_the_smallest_first(world, client_for):
    world.rate.direction = Direction.LOWER
    world.rate.save()
    rows = league(page(client_for(world.city_admin), f"/cockpit/?{Q}"))
    assert [r[1] for r in rows] == ["江山市", "常山县"]


def test_the_province_map_draws_the_shipped_city_boundaries_joined_by_division_code(world, client_for):
    data = json.loads(client_for(world.province_admin).get(f"/cockpit/data/?{Q}").content)
    assert data["mode"] == "geo"
    (f,) = data["geo"]["features"]  # only 衢州 exists in this tree: other cities are not drawn
    assert f["properties"]["code"] == "330800" and f["properties"]["org_id"] == world.city.pk
    assert data["children"][0]["value"] == 84.4  # (90+5+40)/(100+10+50)


def test_drilling_down_reaches_a_school_with_its_own_cards(world, client_for):
    c = client_for(world.city_admin)
    html = page(c, f"/cockpit/?region={world.county.pk}&{Q}")
    assert f"?region={world.school.pk}" in html  # the league table links down to the school
    html = page(c, f"/cockpit/?region={world.school.pk}&{Q}")
    assert "常山县第一小学教育智治一张图" in html and "学校为最末一级" in html
    card = html.split('<table class="cards-table">', 1)[1].split("</table>", 1)[0]
    assert "测试参与率" in card and "90.0%" in card
    crumbs = html.split("cockpit-crumbs", 1)[1].split("</nav>", 1)[0]
    assert "衢州市" in crumbs and "常山县" in crumbs and "浙江省" not in crumbs  # the city user's root


def test_cards_show_value_target_and_a_trend(world, client_for):
    data = json.loads(client_for(world.county_admin).get(f"/cockpit/data/?{Q}").content)
    card = next(c for c in data["cards"] if c["code"] == "ck_rate")
    assert (card["value"], card["target"], card["met"]) == (86.4, 85.0, True)
    assert [t["period"] for t in card["trend"]] == ["2022", "2023", "2024", LAST_YEAR, THIS_YEAR]
    assert card["trend"][-1]["value"] == 86.4


def test_open_and_overdue_items_are_counted_only_inside_the_region(world, client_for):
    now = timezone.now()
    mine = cases.open_case(HAZARD, title="常山隐患", reporting_org=world.school, acting_user=None, category="traffic")
    late = cases.open_case(HAZARD, title="常山逾期", reporting_org=world.school2, acting_user=None, category="traffic")
    late.due_at = now - timezone.timedelta(days=1)
    late.save(update_fields=["due_at"])
    cases.open_case(HAZARD, title="江山隐患", reporting_org=world.other_school, acting_user=None, category="traffic")
    assert mine.pk
    html = page(client_for(world.county_admin), f"/cockpit/?{Q}")
    row = html.split(f'data-code="case.{HAZARD}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2</td><td class="num">1</td>' in row
    assert '<div class="label">办理中事项</div><div class="value">2</div>' in html
    html = page(client_for(world.city_admin), f"/cockpit/?{Q}")
    assert '<div class="label">办理中事项</div><div class="value">3</div>' in html
    html = page(client_for(world.city_admin), f"/cockpit/?region={world.other_county.pk}&{Q}")
    assert '<div class="label">办理中事项</div><div class="value">1</div>' in html


def test_the_wall_screen_is_dark_without_navigation_and_refreshes(world, client_for):
    html = page(client_for(world.county_admin), f"/cockpit/screen/?{Q}&refresh=30")
    assert 'class="cockpit-screen"' in html and "mainnav" not in html and "退出" not in html
    assert "每30秒自动刷新" in html and 'data-refresh="30"' in html
    assert "常山县第一小学" in html and "江山" not in html
    assert "vendor/echarts/echarts.min.js" in html and "//cdn" not in html


@pytest.mark.parametrize(
    "query,field", [("indicator=nope", "指标"), ("indicator=ck_rate&period=20x6", "统计期"), ("region=abc", "地区")]
)
def test_bad_input_is_refused_with_a_message_naming_the_field(world, client_for, query, field):
    for url in ("/cockpit/", "/cockpit/data/", "/cockpit/screen/"):
        r = client_for(world.county_admin).get(f"{url}?{query}")
        assert r.status_code == 400 and r.content.decode().startswith(f"{field}：")


def test_a_bad_refresh_interval_is_refused(world, client_for):
    r = client_for(world.county_admin).get("/cockpit/screen/?refresh=1")
    assert r.status_code == 400 and "刷新间隔" in r.content.decode()


def test_users_without_the_cockpit_see_nothing(world, client_for):
    c = client_for(world.teacher)
    for url in ("/cockpit/", "/cockpit/screen/", "/cockpit/data/"):
        assert c.get(url).status_code == 404


def test_the_league_ranks_ties_together_and_missing_values_last():
    rows = [{"name": n, "value": v} for n, v in (("甲", 5.0), ("乙", None), ("丙", 7.0), ("丁", 5.0))]
    out = figures.ranked(rows, "higher")
    assert [(r["name"], r["rank"]) for r in out] == [("丙", 1), ("丁", 2), ("甲", 2), ("乙", None)]
    out = figures.ranked(rows, "lower")
    assert [(r["name"], r["rank"]) for r in out] == [("丁", 1), ("甲", 1), ("丙", 3), ("乙", None)]


def test_a_registered_counter_is_shown_to_holders_of_its_permission_and_counts_only_the_region(world, client_for):
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.web.registry import COCKPIT_COUNTERS, CockpitCounter, in_region, register_cockpit_counter

    def schools_waiting(user, region, now):
        qs = in_region(OrgUnit.objects.visible_to(user, "cockpit.view"), region).filter(kind=OrgKind.SCHOOL)
        return qs.count(), 1

    register_cockpit_counter(CockpitCounter("test.waiting", "测试模块", "待测试事项", "cockpit.view", schools_waiting))
    try:
        row = page(client_for(world.county_admin), f"/cockpit/?{Q}").split('data-code="test.waiting"', 1)[1]
        assert row.split("</tr>", 1)[0].endswith('<td class="num">2</td><td class="num">1</td>')
        row = page(client_for(world.city_admin), f"/cockpit/?{Q}").split('data-code="test.waiting"', 1)[1]
        assert row.split("</tr>", 1)[0].endswith('<td class="num">3</td><td class="num">1</td>')
    finally:
        COCKPIT_COUNTERS.pop("test.waiting")


def test_counts_are_written_without_decimals_and_ratios_with_one():
    from decimal import Decimal

    assert figures.display(1180.0, "所") == "1180所" and figures.display(Decimal("90"), "%") == "90.0%"
    assert figures.display(86.4, "%") == "86.4%" and figures.display(2.25, "人") == "2.25人"
    assert figures.display(None, "%") == "暂无数据" and figures.display(None, "%", "—") == "—"


def test_every_module_with_pending_items_has_a_row_for_an_administrator(world, client_for):
    html = page(client_for(world.county_admin), f"/cockpit/?{Q}")
    for code in ("timebank.leave_pending", "supervision.recheck", "directives.pending", "workplans.unreported"):
        assert f'data-code="{code}"' in html, code
    assert f'data-code="case.{HAZARD}"' in html
