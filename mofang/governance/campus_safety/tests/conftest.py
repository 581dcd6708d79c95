"""A county with two departments and a routing table, the people who work a hazard, and a
helper that reports one the way the school's page does (through the engine's services)."""

from types import SimpleNamespace

import pytest

from mofang.platform.cases import routing
from mofang.platform.cases import services as cases
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from ..cases import CODE, ROUTES


@pytest.fixture
def world(tree):
    w = SimpleNamespace(tree=tree, county=tree.county, school=tree.school)
    w.police = tree.department  # 常山县公安局
    w.fire = add(tree.county, "常山县消防救援大队", OrgKind.DEPARTMENT, "330822-fire")
    w.other_police = add(tree.other_county, "江山市公安局", OrgKind.DEPARTMENT, "330881-police")
    w.admin = make_user("cs_admin", "county_admin", tree.county, full_name="常山县管理员")
    w.other_admin = make_user("js_admin", "county_admin", tree.other_county, full_name="江山市管理员")
    w.city_admin = make_user("qz_admin", "city_admin", tree.city, full_name="衢州市管理员")
    w.principal = make_user("cs_principal", "principal", tree.school, full_name="张校长")
    w.academic = make_user("cs_academic", "academic", tree.school, full_name="李教务")
    w.teacher = make_user("cs_teacher", "teacher", tree.school, full_name="赵老师")
    w.other_principal = make_user("js_principal", "principal", tree.other_school, full_name="江山校长")
    w.police1 = make_user("police1", "dept_liaison", w.police, full_name="王警官")
    w.police2 = make_user("police2", "dept_liaison", w.police, full_name="陈警官")
    w.fireman = make_user("fire1", "dept_liaison", w.fire, full_name="消防联络员")
    w.other_police1 = make_user("js_police", "dept_liaison", w.other_police, full_name="江山联络员")
    routing.save_rule(ROUTES, w.county, "traffic", w.police, acting_user=w.admin)
    routing.save_rule(ROUTES, w.county, "order", w.police, acting_user=w.admin)
    routing.save_rule(ROUTES, w.county, "fire", w.fire, acting_user=w.admin)
    routing.save_rule(ROUTES, tree.other_county, "traffic", w.other_police, acting_user=w.other_admin)
    return w


@pytest.fixture
def report(world):
    def _report(category="traffic", *, school=None, user=None, severity="normal", title="校门口上下学拥堵", **kw):
        return cases.open_case(
            CODE,
            title=title,
            reporting_org=school or world.school,
            acting_user=user or world.principal,
            category=category,
            severity=severity,
            **kw,
        )

    return _report
