"""Pages: catalogue, values with targets and 数据截至, targets editing, import, rules — all scoped."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from mofang.platform.indicators.models import Indicator, Target
from mofang.platform.testing import make_user

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


@pytest.fixture
def admin(tree):
    return make_user("ind_county", "county_admin", tree.county, full_name="常山县教育局")


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_catalogue_lists_indicators_with_formula_and_direction(admin):
    r = client_for(admin).get("/indicators/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "课后服务学生参与率" in body and "越高越好" in body and "校园安全隐患未办结数" in body
    assert "number_of_students" not in body and "people.students" not in body  # fact names, not codes


def test_values_page_shows_children_target_met_and_as_of(tree, admin):
    Target.objects.create(
        indicator=Indicator.objects.get(code="students"), org=tree.school, year=int(THIS_YEAR), value=Decimal(0)
    )
    r = client_for(admin).get(f"/indicators/students/?org={tree.county.pk}&period={THIS_YEAR}")
    body = r.content.decode()
    assert r.status_code == 200
    assert "常山县第一小学" in body and "数据截至" in body and "达标" in body


def test_a_county_user_cannot_see_another_countys_values(tree, admin):
    c = client_for(admin)
    assert c.get(f"/indicators/students/?org={tree.other_county.pk}").status_code == 404
    assert c.get(f"/indicators/students/?org={tree.city.pk}").status_code == 404
    assert c.get("/indicators/students/?org=abc").status_code == 404


def test_bad_period_is_a_chinese_400(tree, admin):
    r = client_for(admin).get(f"/indicators/students/?org={tree.county.pk}&period={THIS_YEAR}-13")
    assert r.status_code == 400 and "统计周期" in r.content.decode()


def test_targets_are_set_per_org_and_year_and_refused_outside(tree, admin):
    c = client_for(admin)
    url = f"/indicators/targets/?indicator=smart_campus_coverage&year={THIS_YEAR}&org={tree.county.pk}"
    r = c.post(url, {"target_org": tree.school.pk, "value": "75"})
    assert r.status_code == 302
    assert Target.objects.get(org=tree.school, year=int(THIS_YEAR)).value == Decimal(75)
    assert c.post(url, {"target_org": tree.other_school.pk, "value": "75"}).status_code == 404
    r = c.post(url, {"target_org": tree.school.pk, "value": "120"})
    assert r.status_code == 400 and "百分比目标值不能超过100" in r.content.decode()
    r = c.post(url, {"target_org": tree.school.pk, "value": "abc"})
    assert r.status_code == 400 and "目标值应为数字" in r.content.decode()
    c.post(url, {"target_org": tree.school.pk, "value": ""})
    assert not Target.objects.filter(org=tree.school).exists()


def test_principal_may_view_but_not_set_targets(tree):
    principal = make_user("ind_xz", "principal", tree.school)
    c = client_for(principal)
    assert c.get(f"/indicators/students/?org={tree.school.pk}").status_code == 200
    assert c.get("/indicators/targets/").status_code == 404


def test_pages_render(tree, admin):
    c = client_for(admin)
    for url in ("/indicators/rules/", "/indicators/violations/", "/indicators/import/", "/indicators/targets/"):
        r = c.get(url)
        assert r.status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/students/?period=" + "9" * 200,
        "/indicators/students/?org=" + "1" * 30,
        "/indicators/nope/",
        "/indicators/targets/?year=abc",
        "/indicators/targets/?indicator=nope",
        "/indicators/targets/?org=-1",
        "/indicators/violations/?rule=" + "x" * 300 + "&state=zz&page=abc",
        "/indicators/import/?q=%00",
        "/api/indicator-values/abc/?indicator=students",
        "/api/indicator-values/?indicator=students&page=-5",
        "/api/indicators/nope/",
    ],
)
def test_bad_input_never_gives_a_500(admin, url):
    assert client_for(admin).get(url).status_code < 500


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999", "-1", "abc"])
def test_bad_target_values_are_refused_in_chinese(tree, admin, value):
    r = client_for(admin).post(f"/indicators/targets/?indicator=students&org={tree.county.pk}", {"value": value})
    assert r.status_code == 400 and "目标值" in r.content.decode()
