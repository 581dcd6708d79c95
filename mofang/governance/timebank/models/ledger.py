"""The ledger: append-only, signed hours, each entry linked to exactly one cause."""

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedQuerySet

from .bank import Account
from .records import AfterSchoolDuty, LeaveRequest, SubstitutionRecord

LEDGER_LOCK = 73_110  # advisory-lock class of a bank's ledger (PostgreSQL; the second key is the bank id)


def lock_ledgers(bank_ids, *, exclusive: bool = False) -> None:
    """Take, until the end of the transaction, the banks' ledger locks: shared for a writer of
    entries (writers do not wait for each other), exclusive for the monthly run, which so sees every
    entry that was being written when it started, and none that gets an id below the highest it saw.

    That makes `MonthlyStatement.ledger_seen` exact: an entry of the bank with a larger id was posted
    after the statement. On SQLite every write transaction is already exclusive (IMMEDIATE)."""
    if connection.vendor != "postgresql" or not bank_ids:
        return
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count({fn}(%s, b)) FROM (SELECT unnest(%s::int[]) AS b ORDER BY 1) AS banks",
            [LEDGER_LOCK, sorted(set(bank_ids))],
        )


class EntryKind(models.TextChoices):
    CREDIT_SUBSTITUTION = "credit_substitution", _("代课入账")
    CREDIT_AFTERSCHOOL = "credit_afterschool", _("托管入账")
    DEBIT_LEAVE = "debit_leave", _("抵假支取")
    CORRECTION = "correction", _("冲正")


_CAUSES = ("substitution", "duty", "leave", "reverses")


def _only(cause: str) -> Q:
    """Q: `cause` is set and every other cause is NULL."""
    q = Q(**{f"{cause}__isnull": False})
    for other in _CAUSES:
        if other != cause:
            q &= Q(**{f"{other}__isnull": True})
    return q


class LedgerEntryQuerySet(ScopedQuerySet):
    def with_reversal_flag(self):
        """Annotate `is_reversed`: a correction already reverses this entry."""
        return self.annotate(is_reversed=models.Exists(LedgerEntry.objects.filter(reverses=models.OuterRef("pk"))))


class LedgerEntry(models.Model):
    """One posting to a teacher's time account (存入 or 支取), in hours, signed.

    Never updated or deleted (the database refuses both); a mistake is undone by a correction
    entry that reverses it. Each entry names its cause: the substitution record, duty record or
    leave request that produced it, or the entry it reverses.
    """

    scope_org_field = "account__bank__school"
    scope_owner_field = "account__staff__user"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("时间账户"))
    kind = models.CharField(_("类型"), max_length=24, choices=EntryKind.choices)
    amount = models.DecimalField(_("小时"), max_digits=6, decimal_places=1, help_text=_("存入为正，支取为负"))
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    posted_at = models.DateTimeField(_("记账时间"), auto_now_add=True)
    # DO_NOTHING without a DB constraint, like the audit log: deleting a user must not try to
    # UPDATE append-only rows (SET_NULL would, and the trigger would refuse it).
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记账人"),
        db_constraint=False,
    )
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    substitution = models.ForeignKey(
        SubstitutionRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("代课记录"),
    )
    duty = models.ForeignKey(
        AfterSchoolDuty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("托管记录"),
    )
    leave = models.ForeignKey(
        LeaveRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("抵假申请"),
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversals", verbose_name=_("冲正的分录")
    )

    objects = models.Manager.from_queryset(LedgerEntryQuerySet)()

    class Meta:
        verbose_name = _("时间账户分录")
        verbose_name_plural = _("时间账户分录")
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(fields=["account", "occurred_on"], name="timebank_entry_acct_day"),
            # entries of an account posted after a statement was computed (MonthlyStatement.ledger_seen)
            models.Index(fields=["account", "id", "occurred_on"], name="timebank_entry_acct_id_day"),
        ]
        constraints = [
            # Exactly one cause, and it matches the kind and the sign.
            models.CheckConstraint(
                condition=(
                    (Q(kind=EntryKind.CREDIT_SUBSTITUTION, amount__gt=0) & _only("substitution"))
                    | (Q(kind=EntryKind.CREDIT_AFTERSCHOOL, amount__gt=0) & _only("duty"))
                    | (Q(kind=EntryKind.DEBIT_LEAVE, amount__lt=0) & _only("leave"))
                    | (Q(kind=EntryKind.CORRECTION) & ~Q(amount=0) & _only("reverses"))
                ),
                name="timebank_entry_one_cause",
            ),
            # A record credits (or a leave debits) at most once; an entry is reversed at most once.
            models.UniqueConstraint(fields=["substitution"], name="timebank_entry_substitution_once"),
            models.UniqueConstraint(fields=["duty"], name="timebank_entry_duty_once"),
            models.UniqueConstraint(fields=["leave"], name="timebank_entry_leave_once"),
            models.UniqueConstraint(fields=["reverses"], name="timebank_entry_reversed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.amount:+}小时"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("时间账户分录只能新增，不能修改；如有错误请由银行专管处冲正")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("时间账户分录不能删除；如有错误请由银行专管处冲正")

    @property
    def cause(self):
        return self.substitution or self.duty or self.leave or self.reverses

    def describe_cause(self) -> str:
        """The record behind the entry, in words (needs the cause relations selected)."""
        # an unset foreign key reads as None without a query
        if self.substitution is not None:
            return self.substitution.describe()
        if self.duty is not None:
            return self.duty.describe()
        if self.leave is not None:
            return self.leave.describe()
        if self.reverses is not None:
            return f"冲正第{self.reverses_id}号分录（{self.reverses.get_kind_display()} {self.reverses.amount:+}小时）：{self.reason}"
        return ""
