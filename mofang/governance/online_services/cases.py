"""The case types of 一网通办 on the closed-loop engine (docs/cases.md).

- online_services.general (休学, 复学, 学籍证明, 在读证明 and every imported service): 待受理 → 受理 →
  审核中 → 办结 / 退回, at the handling unit.
- online_services.transfer_local (县内转学): the sending school accepts and agrees (同意转出), then the
  receiving school accepts the child (接收入学).
- online_services.transfer_cross (跨县转学): sending school → sending county bureau → receiving
  county bureau → receiving school, each agreeing in turn.

Each agreement hands the case to the next unit (services.hand_on, from `after_transition`, inside
the engine's transaction); on 办结 the roll changes through roll.py (services.settle). Every
application carries its legal time limit as the case's own due date (working days on the handling
unit's calendar); overdue, the unit above supervises (督办) while the unit keeps the case.
"""

import datetime as dt

from mofang.platform.cases import registry as r

from .roles import HANDLE, VIEW

GENERAL = "online_services.general"
TRANSFER_LOCAL = "online_services.transfer_local"
TRANSFER_CROSS = "online_services.transfer_cross"
D = dt.timedelta(days=1)
NORMAL = (("normal", "一般"),)


def after_transition(case, transition, acting_user, now):
    from .services import after_case_transition

    after_case_transition(case, transition, acting_user, now)


def _return(sources):
    return r.Transition("return", "退回", sources, "returned", permission=HANDLE, needs_comment=True)


def _type(code: str, name: str, prefix: str, states, transitions) -> r.CaseType:
    return r.CaseType(
        code=code,
        name=name,
        number_prefix=prefix,
        initial="submitted",
        states=states,
        transitions=transitions,
        view_permission=VIEW,
        claim_permission=HANDLE,
        escalate_permission=HANDLE,
        severities=NORMAL,
        remind_before=D,
        escalation=r.Escalation(r.TO_SUPERVISION),
        after_transition=after_transition,
    )


_CLOSED = (r.State("done", "已办结", r.CLOSED_FIXED), r.State("returned", "已退回", r.CLOSED_NOT_FIXED))

GENERAL_TYPE = _type(
    GENERAL,
    "一网通办事项",
    "WB",
    (r.State("submitted", "待受理"), r.State("reviewing", "审核中"), *_CLOSED),
    (
        r.Transition("accept", "受理", ("submitted",), "reviewing", permission=HANDLE),
        r.Transition("approve", "审核通过并办结", ("reviewing",), "done", permission=HANDLE),
        _return(("submitted", "reviewing")),
    ),
)

TRANSFER_LOCAL_TYPE = _type(
    TRANSFER_LOCAL,
    "县内转学",
    "ZX",
    (
        r.State("submitted", "待转出学校受理"),
        r.State("reviewing", "转出学校审核中"),
        r.State("in_school", "待转入学校接收"),
        *_CLOSED,
    ),
    (
        r.Transition("accept", "受理", ("submitted",), "reviewing", permission=HANDLE),
        r.Transition("agree_out", "同意转出", ("reviewing",), "in_school", permission=HANDLE),
        r.Transition("receive", "同意接收并办结", ("in_school",), "done", permission=HANDLE),
        _return(("submitted", "reviewing", "in_school")),
    ),
)

TRANSFER_CROSS_TYPE = _type(
    TRANSFER_CROSS,
    "跨县转学",
    "ZK",
    (
        r.State("submitted", "待转出学校受理"),
        r.State("reviewing", "转出学校审核中"),
        r.State("out_bureau", "待转出地教育局审核"),
        r.State("in_bureau", "待转入地教育局审核"),
        r.State("in_school", "待转入学校接收"),
        *_CLOSED,
    ),
    (
        r.Transition("accept", "受理", ("submitted",), "reviewing", permission=HANDLE),
        r.Transition("agree_out", "同意转出", ("reviewing",), "out_bureau", permission=HANDLE),
        r.Transition("bureau_out", "转出地教育局同意", ("out_bureau",), "in_bureau", permission=HANDLE),
        r.Transition("bureau_in", "转入地教育局同意", ("in_bureau",), "in_school", permission=HANDLE),
        r.Transition("receive", "同意接收并办结", ("in_school",), "done", permission=HANDLE),
        _return(("submitted", "reviewing", "out_bureau", "in_bureau", "in_school")),
    ),
)

ALL = (GENERAL_TYPE, TRANSFER_LOCAL_TYPE, TRANSFER_CROSS_TYPE)
TYPE_CODES = tuple(ct.code for ct in ALL)
