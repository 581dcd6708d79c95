"""常山县 with its 科技局, 文旅局 and 体育局, the people who work there, and a helper that
registers an institution the way the registry page does (through services)."""

import itertools
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from .. import services, uscc
from ..models import Category

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree):
    w = SimpleNamespace(tree=tree, county=tree.county, other_county=tree.other_county)
    w.tech = add(tree.county, "常山县科技局", OrgKind.DEPARTMENT, "330822-tech")
    w.culture = add(tree.county, "常山县文旅局", OrgKind.DEPARTMENT, "330822-culture")
    w.sports = add(tree.county, "常山县体育局", OrgKind.DEPARTMENT, "330822-sports")
    w.admin = make_user("inst_admin", "county_admin", tree.county, full_name="常山县管理员")
    w.other_admin = make_user("inst_js_admin", "county_admin", tree.other_county, full_name="江山市管理员")
    w.city_admin = make_user("inst_city", "city_admin", tree.city, full_name="衢州市管理员")
    w.keji = make_user("keji1", "dept_liaison", w.tech, full_name="科技局联络员")
    w.wenlv = make_user("wenlv1", "dept_liaison", w.culture, full_name="文旅局联络员")
    w.principal = make_user("inst_principal", "principal", tree.school, full_name="张校长")
    return w


@pytest.fixture
def register(world):
    def _register(name="常山县启明科技培训中心", category=Category.TECH, *, county=None, user=None):
        county = county or world.county
        return services.save_institution(
            acting_user=user or (world.admin if county == world.county else world.other_admin),
            name=name,
            credit_code=uscc.make_credit_code("52", county.code, f"TR{next(_n):06d}"),
            category=category,
            region=county,
            address="常山县定阳路1号",
        )

    return _register


@pytest.fixture
def approved(world, register):
    """An institution approved by its department (正常)."""

    def _approved(name="常山县青少年宫", category=Category.ARTS):
        inst = register(name, category)
        app = services.submit_application(inst, acting_user=world.admin)
        services.decide_application(app, approve=True, acting_user=world.admin, reason="符合要求")
        inst.refresh_from_db()
        return inst

    return _approved
