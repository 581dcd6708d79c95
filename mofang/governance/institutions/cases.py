"""The three case types of 校外培训机构监管 on the closed-loop engine (docs/cases.md).

- 办学审批 (institutions.application): the county files an institution's application; the router
  sends a non-subject one to the department its county's table names for the category (科技局,
  文旅局, 体育局) and a subject one to the county (the education bureau). The department claims,
  accepts, and approves or refuses (with a reason). services.decide_application applies the
  decision to the institution in the same transaction. Overdue, the county supervises (督办); the
  department keeps the application.
- 整改 (institutions.rectification): opened from an inspection's finding at the county; the
  institution is in 整改 until the county accepts the rectification (验收通过).
- 有奖举报 (institutions.report): a report from the public, filed at the county of the place; the
  county verifies it and closes it as 查实 or 不属实; a 查实 report may then carry a reward.
"""

import datetime as dt

from mofang.platform.cases import registry as r
from mofang.platform.cases.routing import RoutingTable, responsible_for

from .models import Category
from .roles import DECIDE, HANDLE_REPORT, INSPECT, MANAGE_ROUTES, SUBMIT_APPLICATION, VIEW, VIEW_APPLICATION

APPLICATION = "institutions.application"
RECTIFICATION = "institutions.rectification"
REPORT = "institutions.report"
D = dt.timedelta(days=1)
NORMAL = (("normal", "一般"),)


# 分类审批: the county's table of which department approves each non-subject category, kept by
# county administrators on the engine's routing table page (/institutions/routes/). Subject-category
# (学科类) institutions are always approved by the county (the education bureau); a non-subject one
# goes to the department the county's rule names, else the department named for it (科技 → 科技局,
# 文化艺术 → 文旅局, 体育 → 体育局), else to the county's own queue.
APPLICATION_ROUTES = RoutingTable(
    code=APPLICATION,
    name="分类审批规则",
    title="培训机构分类审批规则",
    permission=MANAGE_ROUTES,
    categories=tuple((c.value, str(c.label)) for c in (Category.TECH, Category.ARTS, Category.SPORTS, Category.OTHER)),
    county_keeps=((Category.SUBJECT.value, str(Category.SUBJECT.label)),),
    default_words={Category.TECH.value: "科技", Category.ARTS.value: "文旅", Category.SPORTS.value: "体育"},
    category_field="类别",
    department_field="审批部门",
    invalid_category="学科类由教育局审批，请选择非学科类类别",
    description=(
        "学科类由{county}教育局审批；非学科类按下表交主管部门审批（未设置时按部门名称：科技→科技局、"
        "文化艺术→文旅局、体育→体育局，仍没有则由{county}审批）。修改只影响之后提交的申请。"
    ),
    in_county_queue="{county}",
)


def route_application(reporting_org, category, lon, lat):
    """The unit that approves an institution of `category` registered at `reporting_org`'s county."""
    return responsible_for(APPLICATION_ROUTES, reporting_org, category)


def apply_application(case, transition, acting_user, now):
    """A decided application reaches the registry at once, on whichever page it was decided."""
    from .models import Application
    from .services import apply_decision

    if not case.is_open:
        for app in Application.objects.filter(case=case, decision=""):
            apply_decision(app, acting_user=acting_user, now=now)


def settle_institution(case, transition, acting_user, now):
    """An accepted rectification puts its institution back to 正常 when none other is open."""
    from .models import Institution
    from .services import settle_rectification

    if not case.is_open and (case.data or {}).get("institution"):
        inst = Institution.objects.filter(pk=case.data["institution"]).first()
        if inst is not None:
            settle_rectification(inst, acting_user=acting_user)


APPLICATION_TYPE = r.CaseType(
    code=APPLICATION,
    name="培训机构办学审批",
    number_prefix="PX",
    initial="submitted",
    states=(
        r.State("submitted", "待受理", deadline={"normal": 5 * D}),
        r.State("reviewing", "审查中", deadline={"normal": 20 * D}),
        r.State("approved", "已批准", r.CLOSED_FIXED),
        r.State("refused", "不予批准", r.CLOSED_NOT_FIXED),
    ),
    transitions=(
        r.Transition("accept", "受理", ("submitted",), "reviewing", permission=DECIDE, claimant_only=True),
        r.Transition("approve", "批准", ("submitted", "reviewing"), "approved", permission=DECIDE, claimant_only=True),
        r.Transition(
            "refuse",
            "不予批准",
            ("submitted", "reviewing"),
            "refused",
            permission=DECIDE,
            claimant_only=True,
            needs_comment=True,
        ),
    ),
    view_permission=VIEW_APPLICATION,
    report_permission=SUBMIT_APPLICATION,
    claim_permission=DECIDE,
    escalate_permission=DECIDE,
    severities=NORMAL,
    categories=tuple((c.value, str(c.label)) for c in Category),  # the case page reads 科技, not "tech"
    remind_before=D,
    # overdue: the county supervises (督办) and the department that holds the application still
    # decides it — a 科技类 application must not leave 科技局 for the county because it is late
    escalation=r.Escalation(r.TO_SUPERVISION),
    router=route_application,
    after_transition=apply_application,
)

RECTIFICATION_TYPE = r.CaseType(
    code=RECTIFICATION,
    name="培训机构整改",
    number_prefix="PZ",
    initial="rectifying",
    states=(
        r.State("rectifying", "整改中", deadline={"normal": 30 * D}),
        r.State("closed", "验收通过", r.CLOSED_FIXED),
    ),
    transitions=(
        r.Transition("accept", "整改验收通过", ("rectifying",), "closed", permission=INSPECT, needs_comment=True),
    ),
    view_permission=VIEW,
    report_permission=INSPECT,
    claim_permission=INSPECT,
    escalate_permission=INSPECT,
    severities=NORMAL,
    remind_before=3 * D,
    escalation=r.Escalation(r.TO_SUPERVISION),
    after_transition=settle_institution,
)

REPORT_TYPE = r.CaseType(
    code=REPORT,
    name="培训机构有奖举报",
    number_prefix="PJ",
    initial="received",
    states=(
        r.State("received", "待核查", deadline={"normal": 3 * D}),
        r.State("investigating", "核查中", deadline={"normal": 15 * D}),
        r.State("substantiated", "查实", r.CLOSED_FIXED),
        r.State("unfounded", "不属实", r.CLOSED_NOT_FIXED),
    ),
    transitions=(
        r.Transition("start", "开始核查", ("received",), "investigating", permission=HANDLE_REPORT),
        r.Transition(
            "substantiate",
            "查实办结",
            ("investigating",),
            "substantiated",
            permission=HANDLE_REPORT,
            needs_comment=True,
        ),
        r.Transition(
            "dismiss",
            "不属实办结",
            ("received", "investigating"),
            "unfounded",
            permission=HANDLE_REPORT,
            needs_comment=True,
        ),
    ),
    view_permission=VIEW,
    claim_permission=HANDLE_REPORT,
    escalate_permission=HANDLE_REPORT,
    severities=NORMAL,
    remind_before=D,
    escalation=r.Escalation(r.TO_PARENT_UNIT),
    sms=True,
)

ALL = (APPLICATION_TYPE, RECTIFICATION_TYPE, REPORT_TYPE)
