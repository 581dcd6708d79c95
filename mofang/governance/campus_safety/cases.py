"""The 校园安全隐患 case type (任务包): declared as data on the platform's case engine.

A school's 护校安园 group reports (学校吹哨); the router sends the case to the department that
the county's routing table names for the category (部门报到), or to the county's own queue
(待分派) when the table names none. The department claims, handles and reports the result;
the school confirms (动态清零) or sends it back; a closed case may be re-opened (回头看).
Overdue cases go up to the unit above (department → county → city).

The school's confirmation has no deadline of its own: the engine escalates the *responsible*
unit when a deadline passes, and a slow confirmation is not the department's delay.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.cases import registry as r
from mofang.platform.cases.routing import RoutingTable, responsible_for
from mofang.platform.orgs import boundaries
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .roles import CLOSE_PUBLIC, CONFIRM, HANDLE, MANAGE_ROUTES, REPORT, VIEW

CODE = "campus_safety.hazard"
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

CATEGORIES = (
    ("traffic", "交通拥堵/上下学秩序"),
    ("vendor", "流动摊贩"),
    ("fire", "消防"),
    ("food", "食品安全"),
    ("drowning", "防溺水"),
    ("construction", "施工"),
    ("order", "治安"),
    ("environment", "生态环境"),
    ("other", "其他"),
)
SEVERITIES = (("high", "紧急"), ("normal", "一般"), ("low", "较缓"))


# 分派规则: the county's table of category → department, kept by county administrators on the
# engine's routing table page (/campus_safety/routes/); a catch-all rule takes the rest.
ROUTES = RoutingTable(
    code=CODE,
    name="分派规则",
    title="校园安全分派规则",
    permission=MANAGE_ROUTES,
    categories=CATEGORIES,
    catch_all=True,
    category_field="隐患类别",
    department_field="责任部门",
    description=(
        "学校上报的隐患按类别交给下表中的部门认领处置；没有规则的类别交“兜底”部门，"
        "仍没有的进入{county}待分派队列。修改规则只影响之后上报的隐患。"
    ),
)


def route(reporting_org, category, lon, lat):
    """The department the reporting school's county routes `category` to (or the county's
    catch-all rule); the county itself — its 待分派 queue — when the table names none."""
    return responsible_for(ROUTES, reporting_org, category)


def county_of_place(lon, lat):
    """公众报事 (Open311, e.g. a city's 12345 hotline): the county whose shipped outline holds the
    place files the report (its reporting unit) and its routing table sends it on, as a school's;
    None outside every county of the org tree (outside 浙江, or a county not on the platform)."""
    code = boundaries.county_at(lon, lat)
    if code is None:
        return None
    return OrgUnit.objects.filter(kind=OrgKind.COUNTY, code=code).first()


def is_public_report(case) -> bool:
    return bool(case.public and (case.data or {}).get("source") == "open311")


def _only_public_reports_closed_by_the_county(case, t, acting_user, now):
    """回访销号 closes a *public* report (no school to confirm it: the county calls back through
    12345); a school's hazard is closed by the school's 确认销号 alone."""
    if t.code == "close_public" and not is_public_report(case):
        raise ValidationError(gettext("只有公众（12345）报事由区县回访销号；学校上报的隐患由学校确认销号"))


HAZARD = r.CaseType(
    code=CODE,
    name="校园安全隐患",
    number_prefix="XA",
    initial="reported",
    states=(
        r.State(
            "reported",
            "待认领",
            deadline={"high": 2 * H, "normal": 24 * H, "low": 3 * D},
            claimed_label="已认领，待处置",
        ),
        r.State("handling", "处置中", deadline={"high": 24 * H, "normal": 3 * D, "low": 15 * D}),
        r.State("resolved", "待学校确认"),
        r.State("closed", "已销号", r.CLOSED_FIXED),
        r.State("withdrawn", "已撤回", r.CLOSED_NOT_FIXED),
    ),
    transitions=(
        r.Transition("start", "开始处置", ("reported",), "handling", permission=HANDLE, claimant_only=True),
        r.Transition(
            "resolve", "办结反馈", ("handling",), "resolved", permission=HANDLE, claimant_only=True, needs_comment=True
        ),
        r.Transition("confirm", "确认销号", ("resolved",), "closed", permission=CONFIRM, at=r.REPORTING),
        r.Transition("close_public", "回访销号", ("resolved",), "closed", permission=CLOSE_PUBLIC, at=r.REPORTING),
        r.Transition(
            "send_back", "退回重办", ("resolved",), "handling", permission=CONFIRM, at=r.REPORTING, needs_comment=True
        ),
        r.Transition(
            "withdraw",
            "撤回上报",
            ("reported", "handling"),
            "withdrawn",
            permission=CONFIRM,
            at=r.REPORTING,
            needs_comment=True,
        ),
        r.Transition(
            "recheck", "回头看", ("closed",), "reported", permission=CONFIRM, at=r.REPORTING, needs_comment=True
        ),
    ),
    view_permission=VIEW,
    report_permission=REPORT,
    claim_permission=HANDLE,
    escalate_permission=HANDLE,
    severities=SEVERITIES,
    categories=CATEGORIES,
    remind_before=H,
    escalation=r.Escalation(r.TO_PARENT_UNIT),
    handoff_adapter="grid",  # 转四平台 by hand reaches the 基层治理四平台 (MOFANG_GRID_PLATFORM_URL)
    reporter_confirms=True,
    reopenable=True,
    sms=True,
    router=route,
    open311=True,  # listed on /open311/v2/ (service_code campus_safety.hazard); public reports:
    public_intake=county_of_place,
    after_transition=_only_public_reports_closed_by_the_county,
)


def is_unassigned(case) -> bool:
    """待分派: the case sits in a region's own queue (no department named for it)."""
    return case.responsible_org.kind != OrgKind.DEPARTMENT
