"""A 衢州 with two counties and three schools with coordinates, two test facts whose values the
test sets per school (registered as fact sources of the indicators core), a rate indicator over
them with targets, and the administrators who look at the cockpit."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.platform.indicators.models import Direction, Indicator, Target
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_user

FACTS: dict[str, dict[int, int]] = {"ck.num": {}, "ck.den": {}}


# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


@pytest.fixture
def facts():
    for code in FACTS:
        FACTS[code].clear()
        register_fact_source(FactSource(code, code, lambda p, c=code: list(FACTS[c].items())))
    yield FACTS
    for code in FACTS:
        FACT_SOURCES.pop(code, None)


@pytest.fixture
def world(tree, facts):
    w = SimpleNamespace(
        tree=tree,
        province=tree.province,
        city=tree.city,
        county=tree.county,
        other_county=tree.other_county,
        school=tree.school,
        other_school=tree.other_school,
    )
    for s, (lon, lat) in ((tree.school, ("118.52", "28.90")), (tree.other_school, ("118.61", "28.75"))):
        s.longitude, s.latitude = Decimal(lon), Decimal(lat)
        s.save(update_fields=["longitude", "latitude"])
    w.school2 = add(
        tree.county,
        "常山县第二小学",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.PRIMARY,
        longitude=Decimal("118.50"),
        latitude=Decimal("28.92"),
    )
    # 常山 2 schools: 90/100 and 5/10 -> 86.4%; 江山 1 school: 40/50 -> 80.0%
    facts["ck.num"].update({tree.school.pk: 90, w.school2.pk: 5, tree.other_school.pk: 40})
    facts["ck.den"].update({tree.school.pk: 100, w.school2.pk: 10, tree.other_school.pk: 50})
    w.rate = Indicator.objects.create(
        code="ck_rate",
        name="测试参与率",
        numerator="ck.num",
        denominator="ck.den",
        unit="%",
        factor=Decimal(100),
        decimals=1,
        direction=Direction.HIGHER,
        order=0,
    )
    Target.objects.create(indicator=w.rate, org=tree.county, year=int(THIS_YEAR), value=Decimal("85"))
    Target.objects.create(indicator=w.rate, org=tree.other_county, year=int(THIS_YEAR), value=Decimal("85"))
    w.province_admin = make_user("ck_zj", "province_admin", tree.province, full_name="省管理员")
    w.city_admin = make_user("ck_qz", "city_admin", tree.city, full_name="衢州市管理员")
    w.county_admin = make_user("ck_cs", "county_admin", tree.county, full_name="常山县管理员")
    w.other_admin = make_user("ck_js", "county_admin", tree.other_county, full_name="江山市管理员")
    w.inspector = make_user("ck_dx", "inspector", tree.county, full_name="常山督学")
    w.teacher = make_user("ck_t", "teacher", tree.school, full_name="赵老师")
    return w


@pytest.fixture
def client_for(client):
    from tests.test_permission_matrix import _login

    def _as(user):
        client.logout()
        _login(client, user)
        return client

    return _as
