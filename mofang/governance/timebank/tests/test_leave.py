"""抵假: a teacher asks for themselves; approval debits; the balance is never overdrawn."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mofang.governance.timebank import services
from mofang.governance.timebank.models import EntryKind, LeaveStatus, LedgerEntry
from mofang.governance.timebank.services.common import today
from mofang.platform.notifications.models import InboxMessage

from .conftest import last_month, month_start


def _earn(bank, people, hours_of_duty: int, day=None):
    services.record_afterschool_duty(
        bank, people.mao, date=day or last_month(), periods=hours_of_duty, acting_user=people.academic
    )


def test_approving_leave_debits_the_hours(bank, people, mao_account):
    _earn(bank, people, 3)
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1.5", reason="看病", acting_user=people.teacher_user
    )
    entry = services.approve_leave(leave, acting_user=people.principal)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by == people.principal
    assert (entry.kind, entry.amount, entry.leave) == (EntryKind.DEBIT_LEAVE, Decimal("-1.5"), leave)
    assert mao_account.current_balance() == Decimal("1.5")


def test_leave_beyond_the_balance_is_refused_with_the_balance_named(bank, people, mao_account):
    _earn(bank, people, 3)
    with pytest.raises(ValidationError) as exc:
        services.request_leave(
            mao_account, kind="leave", date=today(), hours="4", reason="家中急事", acting_user=people.teacher_user
        )
    assert exc.value.message_dict == {"hours": ["时间余额不足：当前余额 3.0 小时，本次需 4.0 小时"]}


def test_approval_rechecks_the_balance(bank, people, mao_account):
    _earn(bank, people, 3)
    first = services.request_leave(
        mao_account, kind="leave", date=today(), hours="2", reason="一", acting_user=people.teacher_user
    )
    second = services.request_leave(
        mao_account, kind="leave", date=today(), hours="2", reason="二", acting_user=people.teacher_user
    )
    services.approve_leave(first, acting_user=people.academic)
    with pytest.raises(ValidationError) as exc:
        services.approve_leave(second, acting_user=people.academic)
    assert exc.value.messages == ["时间余额不足：当前余额 1.0 小时，本次需 2.0 小时"]
    second.refresh_from_db()
    assert second.status == LeaveStatus.PENDING
    assert mao_account.current_balance() == Decimal("1.0")


def test_backdated_leave_may_not_leave_an_earlier_month_negative(bank, people, mao_account):
    # hours earned this month cannot pay for leave taken last month: last month's statement would go negative
    _earn(bank, people, 4, day=today())
    leave = services.request_leave(
        mao_account, kind="leave", date=last_month(), hours="2", reason="补请", acting_user=people.teacher_user
    )
    with pytest.raises(ValidationError) as exc:
        services.approve_leave(leave, acting_user=people.academic)
    assert "可用余额 0.0 小时" in exc.value.messages[0]


def test_a_leave_is_debited_once(bank, people, mao_account):
    _earn(bank, people, 4)
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1", reason="事假", acting_user=people.teacher_user
    )
    services.approve_leave(leave, acting_user=people.academic)
    with pytest.raises(ValidationError) as exc:
        services.approve_leave(leave, acting_user=people.principal)
    assert "不能重复处理" in exc.value.messages[0]
    assert LedgerEntry.objects.filter(leave=leave).count() == 1


def test_teachers_ask_only_for_themselves(bank, people, mao_account):
    _earn(bank, people, 4)
    with pytest.raises(PermissionDenied):
        services.request_leave(
            mao_account, kind="leave", date=today(), hours="1", reason="代请", acting_user=people.colleague_user
        )


def test_nobody_approves_their_own_leave(bank, people, tree):
    from mofang.governance.timebank.models import Account
    from mofang.platform.testing import make_staff

    me = make_staff(tree.school, "教务本人", user=people.academic)
    services.open_accounts(bank, acting_user=people.academic)
    services.record_afterschool_duty(bank, me, date=last_month(), periods=2, acting_user=people.principal)
    account = Account.objects.get(bank=bank, staff=me)
    leave = services.request_leave(
        account, kind="leave", date=today(), hours="1", reason="事假", acting_user=people.academic
    )
    with pytest.raises(PermissionDenied):
        services.approve_leave(leave, acting_user=people.academic)
    services.approve_leave(leave, acting_user=people.principal)


@pytest.mark.parametrize("who", ["teacher_user", "auditor", "county"])
def test_only_principal_or_academic_approve(bank, people, mao_account, who):
    _earn(bank, people, 2)
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1", reason="事假", acting_user=people.teacher_user
    )
    with pytest.raises(PermissionDenied):
        services.approve_leave(leave, acting_user=getattr(people, who))


@pytest.mark.parametrize(
    "hours,message",
    [
        ("0", "小时数应大于0"),
        ("-1", "小时数应大于0"),
        ("1.2", "小时数应为0.5的整数倍"),
        ("abc", "请填写小时数"),
        ("41", "小时数不能超过40.0"),
        ("1e-999999999", "小时数应为0.5的整数倍"),
        ("NaN", "小时数应大于0"),
    ],
)
def test_leave_hours_come_in_half_hour_steps(bank, people, mao_account, hours, message):
    _earn(bank, people, 8)
    with pytest.raises(ValidationError) as exc:
        services.request_leave(
            mao_account, kind="leave", date=today(), hours=hours, reason="事假", acting_user=people.teacher_user
        )
    assert exc.value.message_dict == {"hours": [message]}


def test_double_reduction_leave_is_small(bank, people, mao_account):
    _earn(bank, people, 8)
    with pytest.raises(ValidationError) as exc:
        services.request_leave(
            mao_account,
            kind="double_reduction",
            date=today(),
            hours="4.5",
            reason="双减假",
            acting_user=people.teacher_user,
        )
    assert exc.value.message_dict == {"hours": ["小时数不能超过4.0"]}


def test_reason_and_date_are_required(bank, people, mao_account):
    _earn(bank, people, 2)
    with pytest.raises(ValidationError) as exc:
        services.request_leave(
            mao_account, kind="leave", date=today(), hours="1", reason="  ", acting_user=people.teacher_user
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.request_leave(
            mao_account, kind="leave", date=month_start(4), hours="1", reason="事假", acting_user=people.teacher_user
        )
    assert "date" in exc.value.message_dict


def test_approvers_are_told_and_the_teacher_hears_back(bank, people, mao_account):
    _earn(bank, people, 2)
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1", reason="事假", acting_user=people.teacher_user
    )
    assert set(
        InboxMessage.objects.filter(title__startswith="待审批").values_list("recipient__username", flat=True)
    ) == {"principal_cs1", "academic_cs1"}
    services.reject_leave(leave, acting_user=people.academic, note="期末考试周不批")
    msg = InboxMessage.objects.get(recipient=people.teacher_user)
    assert msg.title == "抵假申请被驳回" and "期末考试周不批" in msg.body
    assert mao_account.current_balance() == Decimal("2.0")


def test_rejecting_needs_a_reason(bank, people, mao_account):
    _earn(bank, people, 2)
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1", reason="事假", acting_user=people.teacher_user
    )
    with pytest.raises(ValidationError) as exc:
        services.reject_leave(leave, acting_user=people.academic, note="")
    assert exc.value.message_dict == {"note": ["请填写驳回理由"]}


def test_a_teacher_withdraws_a_pending_request(bank, people, mao_account):
    _earn(bank, people, 2)
    leave = services.request_leave(
        mao_account,
        kind="leave",
        date=today() + dt.timedelta(days=2),
        hours="1",
        reason="事假",
        acting_user=people.teacher_user,
    )
    with pytest.raises(PermissionDenied):
        services.cancel_leave(leave, acting_user=people.colleague_user)
    services.cancel_leave(leave, acting_user=people.teacher_user)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.approve_leave(leave, acting_user=people.academic)
