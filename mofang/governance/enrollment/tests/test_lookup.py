"""The public 入学早知道 pages: no login, pinyin and name search, address search, the school
page with its warning, a cache that never shows stale data, and no household data anywhere."""

import pytest
from django.core.cache import cache
from django.test import Client

from mofang.governance.enrollment import lookup, services
from mofang.governance.enrollment.models import Stage

from .conftest import children


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def planned(district):
    y0 = district.years[0]
    services.set_intake_plan(district.primary, y0, Stage.PRIMARY, classes=1, class_size=10, acting_user=None)
    services.set_intake_plan(district.hz, y0, Stage.PRIMARY, classes=2, class_size=40, acting_user=None)
    children(district.tree.county, district.community, Stage.PRIMARY, y0, 10, prefix="SECRET")
    return district


def test_name_initials_come_from_pypinyin():
    assert services.name_initials("杭州小学") == "hzxx"
    assert services.name_initials("常山县第一小学") == "csxdyxx"


def test_parents_find_a_school_by_its_pinyin_initials(planned):
    names = [s["name"] for s in lookup.search_schools("hzxx")]
    assert names == ["杭州小学"]
    assert [s["name"] for s in lookup.search_schools("CSXDYX")] == ["常山县第一小学"]


def test_parents_find_a_school_by_part_of_its_name(planned):
    assert [s["name"] for s in lookup.search_schools("第一小学")] == ["常山县第一小学"]
    assert lookup.search_schools("不存在的学校") == []


def test_the_search_page_needs_no_login(planned):
    r = Client().get("/enrollment/", {"q": "hzxx"})
    assert r.status_code == 200
    assert "杭州小学" in r.content.decode() and "常山县第一小学" not in r.content.decode()


def test_the_htmx_search_answers_only_the_results(planned):
    r = Client().get("/enrollment/", {"q": "hzxx"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="school-results")
    body = r.content.decode()
    assert r.status_code == 200 and "杭州小学" in body and "<html" not in body


def test_an_address_finds_the_primary_and_junior_district_schools(planned):
    found = lookup.search_address("定阳路")
    assert [c["name"] for c in found] == ["定阳花园"]
    assert [s["name"] for s in found[0]["primary"]] == ["常山县第一小学"]
    assert [s["name"] for s in found[0]["junior"]] == ["常山县第一初级中学"]
    body = Client().get("/enrollment/", {"address": "天马 定阳"}).content.decode()
    assert "常山县第一小学" in body and "常山县第一初级中学" in body


def test_the_school_page_shows_district_plan_and_warning_without_login(planned):
    r = Client().get(f"/enrollment/schools/{planned.primary.pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "定阳花园" in body and "100.0%" in body and 'data-level="red"' in body and "红色" in body


def test_public_pages_never_show_household_data(planned):
    start, _ = services.cohort_range(Stage.PRIMARY, planned.years[0])
    client = Client()
    pages = [
        client.get(f"/enrollment/schools/{planned.primary.pk}/"),
        client.get("/enrollment/", {"address": "定阳"}),
        client.get("/enrollment/", {"q": "csxdyxx"}),
    ]
    for r in pages:
        body = r.content.decode()
        assert r.status_code == 200
        assert "SECRET" not in body and start.isoformat() not in body and f"{start:%Y年}" not in body


def test_a_school_without_a_profile_is_not_found(tree):
    assert Client().get(f"/enrollment/schools/{tree.klass.pk}/").status_code == 404


def test_a_change_is_visible_at_once_despite_the_cache(planned):
    client = Client()
    url = f"/enrollment/schools/{planned.primary.pk}/"
    assert "100.0%" in client.get(url).content.decode()
    services.set_intake_plan(
        planned.primary, planned.years[0], Stage.PRIMARY, classes=2, class_size=10, acting_user=None
    )
    assert "50.0%" in client.get(url).content.decode()
    services.set_overflow(planned.primary, planned.hz, "超出部分统筹至杭州小学", acting_user=None)
    assert "超出部分统筹至杭州小学" in client.get(url).content.decode()
    assert lookup.search_address("新小区") == []
    services.save_community(planned.tree.county, "新小区", primary_schools=[planned.hz], acting_user=None)
    assert [c["name"] for c in lookup.search_address("新小区")] == ["新小区"]


def test_answers_are_cached(planned, django_assert_num_queries):
    lookup.school_page(planned.primary.pk)
    with django_assert_num_queries(0):
        lookup.school_page(planned.primary.pk)
        lookup.school_page(planned.primary.pk)


def test_the_map_uses_the_local_echarts_copy(planned):
    from decimal import Decimal

    services.save_community(
        planned.tree.county,
        "定阳花园",
        address_keywords="天马街道 定阳路",
        primary_schools=[planned.primary],
        junior_schools=[planned.junior],
        longitude=Decimal("118.5"),
        latitude=Decimal("28.9"),
        acting_user=None,
    )
    body = Client().get(f"/enrollment/schools/{planned.primary.pk}/").content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in body and "district-map" in body


def test_the_school_page_costs_a_fixed_number_of_queries(planned, django_assert_max_num_queries):
    for n in range(5):
        services.save_community(planned.tree.county, f"小区{n}", primary_schools=[planned.primary], acting_user=None)
    cache.clear()
    with django_assert_max_num_queries(8):
        lookup.school_page(planned.primary.pk)
    with django_assert_max_num_queries(4):
        lookup.search_address("小区")


def test_names_starting_with_the_initials_come_first(planned):
    from mofang.platform.orgs.models import OrgKind, SchoolType
    from mofang.platform.testing import add

    other = add(planned.tree.county, "城南杭州小学", OrgKind.SCHOOL, "3308220011", school_type=SchoolType.PRIMARY)
    services.set_intake_plan(other, planned.years[0], Stage.PRIMARY, classes=1, class_size=30, acting_user=None)
    assert [s["name"] for s in lookup.search_schools("hzxx")] == ["杭州小学", "城南杭州小学"]


def test_a_renamed_school_is_found_by_its_new_initials_after_the_next_refresh(planned):
    from mofang.platform.orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=planned.hz.pk).update(name="西湖小学")
    services.refresh_warnings(planned.tree.county)
    assert [s["name"] for s in lookup.search_schools("xhxx")] == ["西湖小学"]
    assert lookup.search_schools("hzxx") == []
