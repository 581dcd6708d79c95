"""The 整改通知 case type on the closed-loop engine (docs/cases.md).

待整改 (the school signs for it) → 整改中 → 待核查 (the inspector verifies) → 已销号; 核查未通过
sends it back to 整改中; 回头看 re-opens a closed one. The school's term is chosen on the notice:
the engine counts deadlines per state by "severity", so each term (7 … 90 days) is a severity and
整改中 is due that many days after the school signs; overdue → a 督办单 (TO_SUPERVISION).
"""

import datetime as dt

from mofang.platform.cases import registry as r

CODE = "supervision.rectification"
D = dt.timedelta(days=1)
TERMS = (7, 15, 30, 60, 90)
SEVERITIES = tuple((f"d{n}", f"{n}天") for n in TERMS)
SIGN_WITHIN = 3 * D  # 签收 within three days
VERIFY_WITHIN = 7 * D  # the inspector verifies within a week

RECTIFICATION = r.CaseType(
    code=CODE,
    name="整改通知",
    number_prefix="ZG",
    initial="issued",
    states=(
        r.State("issued", "待整改", deadline={s: SIGN_WITHIN for s, _ in SEVERITIES}),
        r.State("rectifying", "整改中", deadline={f"d{n}": n * D for n in TERMS}),
        r.State("verifying", "待核查", deadline={s: VERIFY_WITHIN for s, _ in SEVERITIES}),
        r.State("closed", "已销号", r.CLOSED_FIXED),
    ),
    transitions=(
        r.Transition("start", "签收整改", ("issued",), "rectifying", permission="supervision.rectify"),
        r.Transition(
            "reply", "报送整改结果", ("rectifying",), "verifying", permission="supervision.rectify", needs_comment=True
        ),
        r.Transition(
            "verify", "核查通过（销号）", ("verifying",), "closed", permission="supervision.verify", at=r.REPORTING
        ),
        r.Transition(
            "reject",
            "核查未通过",
            ("verifying",),
            "rectifying",
            permission="supervision.verify",
            at=r.REPORTING,
            needs_comment=True,
        ),
        r.Transition(
            "recheck",
            "回头看（问题反弹）",
            ("closed",),
            "rectifying",
            permission="supervision.verify",
            at=r.REPORTING,
            needs_comment=True,
        ),
    ),
    view_permission="supervision.view_rectification",
    report_permission="supervision.issue_notice",
    claim_permission="supervision.rectify",
    escalate_permission="supervision.verify",
    severities=SEVERITIES,
    remind_before=3 * D,
    escalation=r.Escalation(r.TO_SUPERVISION),
    reporter_confirms=True,
    reopenable=True,
    sms=True,
)
