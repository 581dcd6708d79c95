"""Fixtures for 政令一键智达: 衢州市 with two counties; 常山县 has a public primary school, a private
kindergarten, a public junior school and a department; 江山市 a primary school."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.governance.directives import services
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.testing import add, make_user
from mofang.platform.web.formspec import parse_form_spec


@pytest.fixture
def zl(tree):
    s = SimpleNamespace(tree=tree)
    s.kg = add(
        tree.county,
        "常山县民办阳光幼儿园",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.KINDERGARTEN,
        ownership=Ownership.PRIVATE,
    )
    s.junior = add(
        tree.county,
        "常山县第一初级中学",
        OrgKind.SCHOOL,
        "3308220003",
        school_type=SchoolType.JUNIOR,
        ownership=Ownership.PUBLIC,
    )
    s.city_admin = make_user("admin_qz", "city_admin", tree.city, full_name="衢州市教育局")
    s.admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县教育局")
    s.other_admin = make_user("admin_js", "county_admin", tree.other_county, full_name="江山市教育局")
    s.principal = make_user("xz_cs1", "principal", tree.school, full_name="常山一小校长")
    s.principal.phone = "13900000001"
    s.principal.save()
    s.kg_principal = make_user("xz_kg", "principal", s.kg, full_name="阳光幼儿园园长")
    s.kg_principal.phone = "13900000002"
    s.kg_principal.save()
    s.junior_principal = make_user("xz_cz", "principal", s.junior, full_name="一初校长")
    s.other_principal = make_user("xz_js", "principal", tree.other_school, full_name="江山实小校长")
    s.liaison = make_user("police_cs", "dept_liaison", tree.department, full_name="公安联络员")
    return s


def week():
    return timezone.now() + dt.timedelta(days=7)


def send(s, *, by=None, org=None, targets=None, spec="", kind="task", deadline=None, **kw):
    by = by or s.admin
    org = org or s.tree.county
    targets = targets if targets is not None else [s.tree.school, s.kg, s.junior]
    return services.send_directive(
        sender_org=org,
        title=kw.pop("title", "关于报送秋季学期学生数的通知"),
        body="请各校于截止前填报。",
        kind=kind,
        deadline=deadline or week(),
        targets=targets,
        fields=parse_form_spec(spec),
        acting_user=by,
        **kw,
    )
