"""抵假: leave requests by teachers, approved against their balance (never overdrawn)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import notify_inbox

from ..models import Account, EntryKind, LeaveKind, LeaveRequest, LeaveStatus, LedgerEntry
from ..models.ledger import lock_ledgers
from ..models.statements import hours_text
from .common import available_balance, balance_of, insufficient_message, parse_hours, require, today, users_with_perm_at

MAX_LEAVE_HOURS: dict[str, Decimal] = {
    LeaveKind.LEAVE: Decimal("40"),
    LeaveKind.DOUBLE_REDUCTION: Decimal("4"),
}  # 双减假 is 零星
LEAVE_HORIZON_DAYS = 180


def request_leave(account, *, kind: str, date, hours, reason: str, acting_user) -> LeaveRequest:
    """A teacher asks to offset leave against their own time account."""
    school = account.bank.school
    if acting_user is not None and account.staff.user_id != acting_user.pk:
        raise PermissionDenied("只能为本人申请抵假")
    require(acting_user, "timebank.request_leave", school, allow_own=True)
    if kind not in LeaveKind.values:
        raise ValidationError({"kind": gettext("请选择请假类型")})
    hours = parse_hours(hours, "hours", maximum=MAX_LEAVE_HOURS[kind])
    if not isinstance(date, dt.date):
        raise ValidationError({"date": gettext("请填写请假日期")})
    if date < account.bank.started_on:
        raise ValidationError(
            {
                "date": gettext("请假日期早于本校时间银行起算日期（{started_on:%Y-%m-%d}）").format(
                    started_on=account.bank.started_on
                )
            }
        )
    if date > today() + dt.timedelta(days=LEAVE_HORIZON_DAYS):
        raise ValidationError(
            {"date": gettext("只能申请{leave_horizon_days}天以内的请假").format(leave_horizon_days=LEAVE_HORIZON_DAYS)}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("请填写请假事由")})
    if len(reason) > 200:
        raise ValidationError({"reason": gettext("事由不能超过200个字")})
    with transaction.atomic():
        balance = balance_of(account.pk)
        if balance < hours:  # an early answer; approval checks again under the account lock
            raise ValidationError(
                {
                    "hours": gettext("时间余额不足：当前余额 {value} 小时，本次需 {value2} 小时").format(
                        value=hours_text(balance), value2=hours_text(hours)
                    )
                }
            )
        leave = LeaveRequest.objects.create(
            account=account, kind=kind, date=date, hours=hours, reason=reason, requested_by=acting_user
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=leave,
            org=school,
            after=snapshot(leave),
            summary=f"{account.staff.name}申请{leave.get_kind_display()}{hours_text(hours)}小时（{date:%Y-%m-%d}）",
        )
        link = reverse("timebank:approvals")
        for approver in users_with_perm_at("timebank.approve_leave", school):
            if approver.pk != account.staff.user_id:
                notify_inbox(
                    approver,
                    f"待审批：{account.staff.name}申请抵假{hours_text(hours)}小时",
                    f"{leave.get_kind_display()} {date:%Y-%m-%d}，事由：{reason}",
                    link,
                )
    return leave


def _locked(leave) -> tuple[Account, LeaveRequest]:
    """Lock the account, then the request: the same order in every service that debits."""
    account = Account.objects.select_for_update().select_related("bank__school", "staff").get(pk=leave.account_id)
    return account, LeaveRequest.objects.select_for_update().get(pk=leave.pk)


def _check_decidable(leave, account, acting_user) -> None:
    require(acting_user, "timebank.approve_leave", account.bank.school, message="您没有审批抵假申请的权限")
    if acting_user is not None and account.staff.user_id == acting_user.pk:
        raise PermissionDenied("不能审批本人的抵假申请")
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(
            {"status": gettext("该申请{value}，不能重复处理").format(value=leave.get_status_display())}
        )


def approve_leave(leave, *, acting_user, note: str = "") -> LedgerEntry:
    """Approve and debit. Concurrent approvals on one account serialise on the account row lock
    and each recomputes the balance as the sum of entries, so none can overdraw."""
    with transaction.atomic():
        account, leave = _locked(leave)
        _check_decidable(leave, account, acting_user)
        available = available_balance(account.pk, leave.date)
        if available < leave.hours:
            raise ValidationError({"hours": insufficient_message(account.pk, leave.date, available, leave.hours)})
        lock_ledgers([account.bank_id])
        entry = LedgerEntry.objects.create(
            account=account,
            kind=EntryKind.DEBIT_LEAVE,
            amount=-leave.hours,
            occurred_on=leave.date,
            posted_by=acting_user,
            leave=leave,
            reason=leave.reason[:300],
        )
        before = snapshot(leave, ["status"])
        leave.status, leave.decided_at, leave.decided_by = LeaveStatus.APPROVED, timezone.now(), acting_user
        leave.decision_note = (note or "").strip()[:200]
        leave.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=leave,
            org=account.bank.school,
            before=before,
            after=snapshot(leave, ["status", "decision_note"]),
            summary=f"批准{account.staff.name}{leave.get_kind_display()}{hours_text(leave.hours)}小时，支取入账",
        )
        if account.staff.user_id:
            notify_inbox(
                account.staff.user,
                f"抵假申请已批准：{hours_text(leave.hours)}小时",
                f"{leave.date:%Y-%m-%d} {leave.get_kind_display()}，当前余额 {hours_text(balance_of(account.pk))} 小时",
                reverse("timebank:my"),
            )
    return entry


def reject_leave(leave, *, acting_user, note: str) -> LeaveRequest:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": gettext("请填写驳回理由")})
    if len(note) > 200:
        raise ValidationError({"note": gettext("驳回理由不能超过200个字")})
    with transaction.atomic():
        account, leave = _locked(leave)
        _check_decidable(leave, account, acting_user)
        before = snapshot(leave, ["status"])
        leave.status, leave.decided_at, leave.decided_by, leave.decision_note = (
            LeaveStatus.REJECTED,
            timezone.now(),
            acting_user,
            note,
        )
        leave.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=leave,
            org=account.bank.school,
            before=before,
            after=snapshot(leave, ["status", "decision_note"]),
            summary=f"驳回{account.staff.name}的抵假申请：{note}",
        )
        if account.staff.user_id:
            notify_inbox(
                account.staff.user,
                "抵假申请被驳回",
                f"{leave.date:%Y-%m-%d} {hours_text(leave.hours)}小时：{note}",
                reverse("timebank:my"),
            )
    return leave


def cancel_leave(leave, *, acting_user) -> LeaveRequest:
    """The teacher withdraws a request that has not been decided yet."""
    with transaction.atomic():
        account, leave = _locked(leave)
        if acting_user is not None and account.staff.user_id != acting_user.pk:
            raise PermissionDenied("只能撤回本人的申请")
        if leave.status != LeaveStatus.PENDING:
            raise ValidationError(
                {"status": gettext("该申请{value}，不能撤回").format(value=leave.get_status_display())}
            )
        leave.status, leave.decided_at = LeaveStatus.CANCELLED, timezone.now()
        leave.save(update_fields=["status", "decided_at"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=leave,
            org=account.bank.school,
            before={"status": LeaveStatus.PENDING},
            after={"status": LeaveStatus.CANCELLED},
            summary=f"{account.staff.name}撤回抵假申请（{leave.date:%Y-%m-%d} {hours_text(leave.hours)}小时）",
        )
    return leave
