"""The growth ladder's case type on the closed-loop engine (docs/cases.md): a teacher applies
(reporting unit: the school; responsible: the county bureau), the school recommends (or not), the
county recognises (or not). On recognition the teacher's level is recorded (services.settle, in the
engine's transaction, whichever page fires the transition)."""

import datetime as dt

from mofang.platform.cases import registry as r

from .roles import LADDER, RECOGNIZE, RECOMMEND

LADDER_CASE = "teacher_dev.ladder"
D = dt.timedelta(days=1)


def after_transition(case, transition, acting_user, now):
    from .services import settle_application

    settle_application(case, transition, acting_user, now)


LADDER_TYPE = r.CaseType(
    code=LADDER_CASE,
    name="成长阶梯申报",
    number_prefix="JS",
    initial="submitted",
    states=(
        r.State("submitted", "待学校推荐", deadline={"normal": 30 * D}),
        r.State("reviewing", "待教育局认定", deadline={"normal": 60 * D}),
        r.State("recognized", "已认定", r.CLOSED_FIXED),
        r.State("returned", "未通过", r.CLOSED_NOT_FIXED),
    ),
    transitions=(
        r.Transition("recommend", "学校推荐", ("submitted",), "reviewing", permission=RECOMMEND, at=r.REPORTING),
        r.Transition(
            "decline", "不予推荐", ("submitted",), "returned", permission=RECOMMEND, at=r.REPORTING, needs_comment=True
        ),
        r.Transition("recognize", "认定", ("reviewing",), "recognized", permission=RECOGNIZE),
        r.Transition("reject", "不予认定", ("reviewing",), "returned", permission=RECOGNIZE, needs_comment=True),
    ),
    view_permission=LADDER,
    claim_permission=RECOGNIZE,
    escalate_permission=RECOGNIZE,
    severities=(("normal", "一般"),),
    remind_before=3 * D,
    escalation=r.Escalation(r.TO_SUPERVISION),
    after_transition=after_transition,
)
