"""The 控辍保学 case type: 核查 → 劝返 → 复学 / 说明. The county bureau is both the reporting and the
responsible unit; overdue cases are supervised (督办) by the city. 复学 and 说明 are fired only
through services.readmit / services.explain (which change the roll and record the reason); the
generic case page refuses them (after_transition)."""

import contextvars
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.cases import registry as r

from .roles import HANDLE, VIEW

CODE = "dropout_control.child"
# set by services.readmit / services.explain around their fire(): the only ways in to 复学/说明
THROUGH_SERVICE = contextvars.ContextVar("dropout_through_service", default=False)


def _guard(case, transition, user, now) -> None:
    if transition.code in ("readmit", "explain") and not THROUGH_SERVICE.get():
        raise ValidationError(gettext("请在控辍保学页面办理复学或说明（复学须同时办理学籍，说明须选择原因）"))


DROPOUT_CASE = r.CaseType(
    code=CODE,
    name="控辍保学",
    number_prefix="KC",
    initial="verify",
    states=(
        r.State("verify", "待核查", deadline={"high": r.WorkingDays(3), "normal": r.WorkingDays(5)}),
        r.State("persuade", "劝返中", deadline={"high": r.WorkingDays(10), "normal": r.WorkingDays(20)}),
        r.State("returned", "已复学", r.CLOSED_FIXED),
        r.State("explained", "已说明情况", r.CLOSED_FIXED),
    ),
    transitions=(
        r.Transition("persuade", "转入劝返", ("verify",), "persuade", permission=HANDLE, needs_comment=True),
        r.Transition("readmit", "复学", ("verify", "persuade"), "returned", permission=HANDLE),
        r.Transition("explain", "说明情况", ("verify", "persuade"), "explained", permission=HANDLE, needs_comment=True),
    ),
    view_permission=VIEW,
    report_permission=HANDLE,
    claim_permission=HANDLE,
    escalate_permission=HANDLE,
    categories=(("no_record", "无学籍"), ("out", "辍学或休学逾期"), ("transferred", "转出未接收")),
    remind_before=dt.timedelta(days=1),
    escalation=r.Escalation(r.TO_SUPERVISION),
    after_transition=_guard,
)
