"""The example case types (a hazard a school reports to a department, declared in
cases/examples.py), plus a tree with the people who work it. Production types live in their modules."""

from types import SimpleNamespace

import pytest

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases.examples import HANDED_OFF, HAZARD, PUBLIC, SUPERVISED, H, register_examples
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

register_examples()
__all__ = ["HANDED_OFF", "HAZARD", "PUBLIC", "SUPERVISED", "H"]


@pytest.fixture
def world(tree):
    sync_roles()  # the Role rows carry the grants above
    w = SimpleNamespace(tree=tree)
    w.dept = tree.department  # 常山县公安局
    w.other_dept = add(tree.other_county, "江山市公安局", OrgKind.DEPARTMENT)
    w.liaison = make_user("liaison1", "dept_liaison", w.dept, full_name="王联络")
    w.liaison2 = make_user("liaison2", "dept_liaison", w.dept, full_name="李联络")
    w.other_liaison = make_user("liaison_js", "dept_liaison", w.other_dept, full_name="江山联络员")
    w.principal = make_user("principal1", "principal", tree.school, full_name="张校长")
    w.teacher = make_user("teacher1", "teacher", tree.school, full_name="赵老师")
    w.county_admin = make_user("county1", "county_admin", tree.county, full_name="常山县管理员")
    w.other_admin = make_user("county2", "county_admin", tree.other_county, full_name="江山市管理员")
    return w


@pytest.fixture
def report(world):
    """open a hazard from the school to the department (a function, so tests choose the details)."""
    from mofang.platform.cases import services

    def _open(code=HAZARD.code, **kw):
        kw.setdefault("title", "校门口上下学拥堵")
        kw.setdefault("category", "traffic")
        kw.setdefault("reporting_org", world.tree.school)
        kw.setdefault("responsible_org", world.dept)
        kw.setdefault("acting_user", world.principal)
        return services.open_case(code, **kw)

    return _open
