"""The data-exchange API: values per org, scoped; bad parameters are Chinese 400s."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mofang.platform.indicators.services import write_statistics
from mofang.platform.testing import make_user

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


@pytest.fixture
def api(tree):
    write_statistics(
        [
            ("import.smart_campus_schools", tree.school.pk, THIS_YEAR, Decimal(1)),
            ("import.smart_campus_schools", tree.other_school.pk, THIS_YEAR, Decimal(1)),
        ],
        acting_user=None,
        org=tree.province,
    )
    c = APIClient()
    c.force_authenticate(make_user("ind_api", "county_admin", tree.county))
    return c


def test_values_are_pulled_per_org_within_scope(tree, api):
    r = api.get("/api/indicator-values/", {"indicator": "smart_campus_coverage", "period": THIS_YEAR})
    assert r.status_code == 200
    names = {row["org_name"]: row for row in r.json()["results"]}
    assert set(names) == {"常山县", "常山县第一小学"}
    assert names["常山县"]["value"] == 100.0 and names["常山县"]["as_of"]
    r = api.get(f"/api/indicator-values/{tree.other_school.pk}/", {"indicator": "smart_campus_coverage"})
    assert r.status_code == 404
    r = api.get("/api/indicator-values/", {"indicator": "smart_campus_coverage", "parent": tree.city.pk})
    assert r.status_code == 404


def test_children_of_a_visible_parent(tree, api):
    r = api.get("/api/indicator-values/", {"indicator": "students", "parent": tree.county.pk})
    assert [row["org_name"] for row in r.json()["results"]] == ["常山县第一小学"]


@pytest.mark.parametrize(
    "params,field",
    [
        ({}, "indicator"),
        ({"indicator": "nope"}, "indicator"),
        ({"indicator": "students", "period": "20x6"}, "period"),
        ({"indicator": "students", "kind": "class"}, "kind"),
        ({"indicator": "students", "parent": "x"}, "parent"),
    ],
)
def test_bad_parameters_are_chinese_400s(api, params, field):
    r = api.get("/api/indicator-values/", params)
    assert r.status_code == 400 and field in r.json()


def test_catalogue(api):
    r = api.get("/api/indicators/")
    assert r.status_code == 200 and any(i["name"] == "智慧校园覆盖率" for i in r.json()["results"])
    assert api.get("/api/indicators/smart_campus_coverage/").json()["unit"] == "%"


def test_a_teacher_may_not_pull_values(tree):
    c = APIClient()
    c.force_authenticate(make_user("ind_t", "teacher", tree.school))
    assert c.get("/api/indicator-values/", {"indicator": "students"}).status_code == 403
