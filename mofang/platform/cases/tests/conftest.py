"""A small example case type (a hazard a school reports to a department) declared here, in the
tests, plus a tree with the people who work it. Production types live in their modules."""

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest

from mofang.platform.accounts.registry import PERMISSIONS, grant, register_permissions
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases import registry as r
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

H = dt.timedelta(hours=1)

HAZARD = r.CaseType(
    code="casetest.hazard",
    name="测试隐患",
    number_prefix="CS",
    initial="reported",
    states=(
        r.State("reported", "待认领", deadline={"high": 2 * H, "normal": 24 * H}),
        r.State("handling", "处置中", deadline={"high": 24 * H, "normal": 72 * H}),
        r.State("resolved", "待确认", deadline={"high": 48 * H, "normal": 48 * H}),
        r.State("closed", "已销号", r.CLOSED_FIXED),
        r.State("unfixable", "无法办理", r.CLOSED_NOT_FIXED),
    ),
    transitions=(
        r.Transition("start", "开始处置", ("reported",), "handling", permission="casetest.handle", claimant_only=True),
        r.Transition("resolve", "办结反馈", ("handling",), "resolved", permission="casetest.handle",
                     claimant_only=True, needs_comment=True),
        r.Transition("give_up", "无法办理", ("handling",), "unfixable", permission="casetest.handle",
                     claimant_only=True, needs_comment=True),
        r.Transition("confirm", "确认销号", ("resolved",), "closed", permission="casetest.confirm", at=r.REPORTING),
        r.Transition("send_back", "退回", ("resolved",), "handling", permission="casetest.confirm", at=r.REPORTING,
                     needs_comment=True),
        r.Transition("recheck", "回头看", ("closed", "unfixable"), "reported", permission="casetest.confirm",
                     at=r.REPORTING, needs_comment=True),
    ),
    view_permission="casetest.view",
    report_permission="casetest.report",
    claim_permission="casetest.handle",
    escalate_permission="casetest.handle",
    categories=(("traffic", "交通拥堵"), ("fire", "消防")),
    remind_before=H,
    escalation=r.Escalation(r.TO_PARENT_UNIT),
    reporter_confirms=True,
    reopenable=True,
)
# the same loop with other overdue rules
SUPERVISED = dataclasses.replace(HAZARD, code="casetest.supervised", escalation=r.Escalation(r.TO_SUPERVISION))
HANDED_OFF = dataclasses.replace(HAZARD, code="casetest.handoff", escalation=r.Escalation(r.TO_EXTERNAL, "grid"))

if "casetest.view" not in PERMISSIONS:
    register_permissions({"casetest.view": "查看测试隐患", "casetest.report": "上报测试隐患",
                          "casetest.handle": "办理测试隐患", "casetest.confirm": "确认测试隐患"})
    grant("dept_liaison", "casetest.view", "casetest.handle")
    grant("county_admin", "casetest.view", "casetest.handle")
    grant("principal", "casetest.view", "casetest.report", "casetest.confirm")
    for _ct in (HAZARD, SUPERVISED, HANDED_OFF):
        r.register_case_type(_ct)


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
