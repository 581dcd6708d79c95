"""The crisis case (心理危机个案): the closed loop 发现 → 咨询 → 干预 → 救援 → 帮扶 → 诊疗 → 回访, declared
for the platform's case engine (docs/cases.md).

A crisis alert opens the case in 发现 at the student's class (reporting unit; the school when the
student has no class) with the school as responsible unit. 发现's deadline is the alert's
acknowledgement deadline (MOFANG_MH_ACK_HOURS, default 2 hours): unacknowledged by then, the overdue
scan escalates the case to the unit above — the county, whose 心理健康指导中心 (role mh_centre) takes
it over. Acknowledging (确认预警) is done by an assigned professional from the alert page, which
checks the assignment before calling the engine; the later steps by the school's psychologist or,
once escalated, the county centre. Each step's deadline is on the working-day calendar except 救援
(24 hours, a rescue does not wait for Monday).
"""

import datetime as dt

from django.conf import settings

from mofang.platform.cases import registry as r

H = dt.timedelta(hours=1)
CODE = "mentalhealth.crisis"
HANDLE = "mentalhealth.handle_case"
VIEW = "mentalhealth.view_case"


def ack_hours() -> int:
    return int(getattr(settings, "MOFANG_MH_ACK_HOURS", 2))


def _t(code, label, source, target, **kw):
    return r.Transition(code, label, source, target, permission=HANDLE, needs_comment=True, **kw)


LOOP = ("consult", "intervene", "rescue", "support", "treat", "followup")

CRISIS = r.CaseType(
    code=CODE,
    name="心理危机个案",
    number_prefix="XL",
    initial="found",
    severities=(("high", "危机"), ("normal", "关注")),
    states=(
        r.State("found", "发现（待确认预警）", deadline={"high": ack_hours() * H, "normal": ack_hours() * H}),
        r.State("consult", "咨询", deadline={"high": r.WorkingDays(2), "normal": r.WorkingDays(5)}),
        r.State("intervene", "干预", deadline={"high": r.WorkingDays(5), "normal": r.WorkingDays(10)}),
        r.State("rescue", "救援", deadline={"high": 24 * H, "normal": 24 * H}),
        r.State("support", "帮扶", deadline={"high": r.WorkingDays(10), "normal": r.WorkingDays(20)}),
        r.State("treat", "诊疗", deadline={"high": r.WorkingDays(20), "normal": r.WorkingDays(20)}),
        r.State("followup", "回访", deadline={"high": r.WorkingDays(20), "normal": r.WorkingDays(30)}),
        r.State("closed", "结案", r.CLOSED_FIXED),
    ),
    transitions=(
        # the class (head teacher) or the school (psychologist) acknowledges: reporting side
        r.Transition("acknowledge", "确认预警", ("found",), "consult", permission=HANDLE, at=r.REPORTING),
        r.Transition("acknowledge_centre", "中心接案", ("found",), "consult", permission=HANDLE),
        _t("intervene", "进入干预", ("consult",), "intervene"),
        _t("rescue", "启动救援", ("consult", "intervene"), "rescue"),
        _t("support", "转入帮扶", ("consult", "intervene", "rescue"), "support"),
        _t("treat", "转介诊疗", ("intervene", "rescue", "support"), "treat"),
        _t("followup", "进入回访", ("support", "treat"), "followup"),
        _t("close", "结案", ("followup",), "closed"),
    ),
    view_permission=VIEW,
    # the engine tells a unit's claimants of every new case in its queue: only the county centre
    # claims, so a school's other psychologists never learn of a case about a student not theirs
    claim_permission=VIEW,
    escalate_permission=VIEW,
    remind_before=H // 2,
    escalation=r.Escalation(r.TO_PARENT_UNIT),
    sms=True,
)
