"""Example case types for the engine's own tests and the permission matrix (no production use).

A hazard a school reports to a department (`casetest.hazard`), the same loop with other overdue
rules, and a public-facing variant open to Open311 clients (`casetest.public`); two routing tables
(`casetest.hazard`: category → department with a catch-all; `casetest.approval`: a category the
county keeps and departments by a word of their name). Importing this module declares their
permissions and grants them to core roles; `register_examples()` adds the types and tables to the
registries (idempotent). Production types and tables live in their modules.
"""

import dataclasses
import datetime as dt

from mofang.platform.accounts.registry import PERMISSIONS, grant, register_permissions

from . import registry as r
from .routing import ROUTING_TABLES, RoutingTable, register_routing_table

H = dt.timedelta(hours=1)

HAZARD = r.CaseType(
    code="casetest.hazard",
    name="测试隐患",
    number_prefix="CS",
    initial="reported",
    states=(
        r.State("reported", "待认领", deadline={"high": 2 * H, "normal": 24 * H}, claimed_label="已认领，待处置"),
        r.State("handling", "处置中", deadline={"high": 24 * H, "normal": 72 * H}),
        r.State("resolved", "待确认", deadline={"high": 48 * H, "normal": 48 * H}),
        r.State("closed", "已销号", r.CLOSED_FIXED),
        r.State("unfixable", "无法办理", r.CLOSED_NOT_FIXED),
    ),
    transitions=(
        r.Transition("start", "开始处置", ("reported",), "handling", permission="casetest.handle", claimant_only=True),
        r.Transition(
            "resolve",
            "办结反馈",
            ("handling",),
            "resolved",
            permission="casetest.handle",
            claimant_only=True,
            needs_comment=True,
        ),
        r.Transition(
            "give_up",
            "无法办理",
            ("handling",),
            "unfixable",
            permission="casetest.handle",
            claimant_only=True,
            needs_comment=True,
        ),
        r.Transition("confirm", "确认销号", ("resolved",), "closed", permission="casetest.confirm", at=r.REPORTING),
        r.Transition(
            "send_back",
            "退回",
            ("resolved",),
            "handling",
            permission="casetest.confirm",
            at=r.REPORTING,
            needs_comment=True,
        ),
        r.Transition(
            "recheck",
            "回头看",
            ("closed", "unfixable"),
            "reported",
            permission="casetest.confirm",
            at=r.REPORTING,
            needs_comment=True,
        ),
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
    due_date_permission="casetest.confirm",  # the reporting school sets the case's own due date
)
# the same loop with other overdue rules
SUPERVISED = dataclasses.replace(HAZARD, code="casetest.supervised", escalation=r.Escalation(r.TO_SUPERVISION))
HANDED_OFF = dataclasses.replace(HAZARD, code="casetest.handoff", escalation=r.Escalation(r.TO_EXTERNAL, "grid"))


def _county_of_place(lon, lat):
    """Public reports are filed at the county whose department handles them: in the example, the
    county holding the first department (a real type would look the place up in its map)."""
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    dept = OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT).order_by("path").first()
    if dept is None or lon is None:
        return None
    return OrgUnit.objects.filter(path=dept.path[: -OrgUnit.steplen]).first()


def _first_department_below(reporting_org, category, lon, lat):
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    return OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, path__startswith=reporting_org.path).order_by("path").first()


# a public-facing variant: listed in Open311, readable (public cases) and reportable by anyone
PUBLIC = dataclasses.replace(
    HAZARD,
    code="casetest.public",
    name="测试公众报事",
    number_prefix="GZ",
    open311=True,
    public_intake=_county_of_place,
    router=_first_department_below,
)

EXAMPLES = (HAZARD, SUPERVISED, HANDED_OFF, PUBLIC)

# 分派规则 of the example hazard: category → department, a catch-all for the rest
ROUTES = RoutingTable(
    code=HAZARD.code,
    name="测试分派规则",
    title="测试隐患分派规则",
    permission="casetest.manage_routes",
    categories=(*HAZARD.categories, ("food", "食品安全")),
    catch_all=True,
    category_field="隐患类别",
    department_field="责任部门",
    description="测试隐患按类别交给下表中的部门；仍没有的进入{county}待分派队列。",
)
# 分类审批-like: the county keeps one category; the others go to the department named for them
APPROVAL_ROUTES = RoutingTable(
    code="casetest.approval",
    name="测试审批规则",
    title="测试分类审批规则",
    permission="casetest.manage_routes",
    categories=(("tech", "科技类"), ("sports", "体育类"), ("other", "其他类")),
    county_keeps=(("subject", "学科类"),),
    default_words={"tech": "科技", "sports": "体育"},
    department_field="审批部门",
    invalid_category="学科类由区县审批，请选择其他类别",
    in_county_queue="{county}",
)
TABLES = (ROUTES, APPROVAL_ROUTES)

if "casetest.view" not in PERMISSIONS:
    register_permissions(
        {
            "casetest.view": "查看测试隐患",
            "casetest.report": "上报测试隐患",
            "casetest.handle": "办理测试隐患",
            "casetest.confirm": "确认测试隐患",
            "casetest.manage_routes": "维护测试分派规则",
        }
    )
    grant("dept_liaison", "casetest.view", "casetest.handle")
    grant("county_admin", "casetest.view", "casetest.handle", "casetest.manage_routes")
    grant("principal", "casetest.view", "casetest.report", "casetest.confirm")


def register_examples() -> None:
    for ct in EXAMPLES:
        if r.CASE_TYPES.get(ct.code) is not ct:
            r.unregister_case_type(ct.code)
            r.register_case_type(ct)
    for t in TABLES:
        if ROUTING_TABLES.get(t.code) is not t:
            ROUTING_TABLES.pop(t.code, None)
            register_routing_table(t)
