"""Corrections by the 银行专管处: reversing entries, never edits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import notify_inbox

from ..models import Account, EntryKind, LedgerEntry
from ..models.ledger import lock_ledgers
from ..models.statements import hours_text
from .common import available_balance, balance_of, require, today


def post_correction(entry, *, reason: str, acting_user) -> LedgerEntry:
    """Reverse `entry` (amount = −original, reverses = original) with a mandatory reason.

    An entry is reversed at most once; a correction is not itself reversed; a reversal that
    would take the balance (or a later month-end balance) below zero is refused.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        account = Account.objects.select_for_update().select_related("bank__school", "staff").get(pk=entry.account_id)
        require(acting_user, "timebank.post_correction", account.bank.school, message="只有银行专管处可以冲正")
        if acting_user is not None and account.staff.user_id == acting_user.pk:
            raise PermissionDenied("不能冲正本人账户的分录")
        if not reason:
            raise ValidationError({"reason": gettext("请填写冲正理由")})
        if len(reason) > 200:
            raise ValidationError({"reason": gettext("冲正理由不能超过200个字")})
        entry = LedgerEntry.objects.get(pk=entry.pk)
        if entry.kind == EntryKind.CORRECTION:
            raise ValidationError({"entry": gettext("冲正分录不能再冲正")})
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise ValidationError({"entry": gettext("该分录已冲正，不能重复冲正")})
        amount = -entry.amount
        day = today()
        if amount < 0:
            available = available_balance(account.pk, day)
            if available + amount < 0:
                raise ValidationError(
                    {
                        "entry": gettext(
                            "冲正后时间余额将为负：当前可用余额 {value} 小时，冲正需扣减 {value2} 小时"
                        ).format(value=hours_text(available), value2=hours_text(-amount))
                    }
                )
        lock_ledgers([account.bank_id])
        correction = LedgerEntry.objects.create(
            account=account,
            kind=EntryKind.CORRECTION,
            amount=amount,
            occurred_on=day,
            posted_by=acting_user,
            reverses=entry,
            reason=reason,
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=correction,
            org=account.bank.school,
            after=snapshot(correction),
            summary=f"冲正{account.staff.name}第{entry.pk}号分录（{entry.get_kind_display()} "
            f"{entry.amount:+}小时）：{reason}",
        )
        if account.staff.user_id:
            notify_inbox(
                account.staff.user,
                f"时间账户冲正：{amount:+}小时",
                f"银行专管处冲正了{entry.occurred_on:%Y-%m-%d}的{entry.get_kind_display()}，理由：{reason}。"
                f"当前余额 {hours_text(balance_of(account.pk))} 小时",
                reverse("timebank:my"),
            )
    return correction
