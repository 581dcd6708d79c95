"""一月一反馈: monthly statements per teacher and the school's published balance list."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet

from .bank import Account, Bank

_HOURS: dict[str, Any] = {"max_digits": 7, "decimal_places": 1}


def hours_text(value: Decimal) -> str:
    """Hours as the statement and SMS print them: one decimal place (2.0, 14.0, -3.5)."""
    return f"{Decimal(value).quantize(Decimal('0.1'))}"


def month_label(month: str) -> str:
    """'2026-10' → '2026年10月'."""
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"


class StatementQuerySet(ScopedQuerySet):
    def of_user(self, user):
        """我的对账单: the user's own (as a member of staff) — the home figure's rule and the list's ?mine=1."""
        return self.filter(account__staff__user=user)


class MonthlyStatement(models.Model):
    """对账单: one teacher's month — earned by substitution and after-school duty, spent on leave,
    corrections, and the balances at the start and end of the month (entries by date of work).

    Derived from the ledger; regenerating a month rewrites the same row with the same numbers.
    """

    scope_org_field = "account__bank__school"
    scope_owner_field = "account__staff__user"

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="statements", verbose_name=_("时间账户")
    )
    month = models.CharField(_("月份"), max_length=7, help_text=_("格式 2026-10"))
    opening_balance = models.DecimalField(_("期初结余"), **_HOURS)
    earned_substitution = models.DecimalField(_("代课获得"), **_HOURS)
    earned_afterschool = models.DecimalField(_("托管获得"), **_HOURS)
    spent = models.DecimalField(_("使用"), **_HOURS)
    corrections = models.DecimalField(_("冲正调整"), **_HOURS)
    closing_balance = models.DecimalField(_("结余"), **_HOURS)
    generated_at = models.DateTimeField(_("生成时间"))
    # The highest ledger entry id when the numbers were computed (under the bank's exclusive ledger
    # lock): an entry of the account with a larger id and a date up to the month's end makes them stale.
    ledger_seen = models.BigIntegerField(_("计算时的分录号"), null=True, blank=True, editable=False)

    objects = models.Manager.from_queryset(StatementQuerySet)()

    class Meta:
        verbose_name = _("月度对账单")
        verbose_name_plural = _("月度对账单")
        ordering = ["-month", "account"]
        constraints = [models.UniqueConstraint(fields=["account", "month"], name="timebank_statement_once")]

    def __str__(self) -> str:
        return f"{self.account.staff.name} {month_label(self.month)}对账单"

    @property
    def earned(self) -> Decimal:
        return self.earned_substitution + self.earned_afterschool

    @property
    def month_label(self) -> str:
        return month_label(self.month)

    def sms_text(self) -> str:
        """The 一月一反馈 SMS, in the wording teachers know from the seed."""
        extra = f"，冲正调整{hours_text(self.corrections)}小时" if self.corrections else ""
        return (
            f"【教育魔方】{self.account.staff.name}老师：您{month_label(self.month)}时间银行"
            f"代课获得{hours_text(self.earned_substitution)}小时，托管获得{hours_text(self.earned_afterschool)}小时，"
            f"使用{hours_text(self.spent)}小时{extra}，当前结余{hours_text(self.closing_balance)}小时。"
        )

    def numbers(self) -> tuple:
        return (
            self.opening_balance,
            self.earned_substitution,
            self.earned_afterschool,
            self.spent,
            self.corrections,
            self.closing_balance,
        )


class Publication(models.Model):
    """公开: the month's balance list published inside the school for its teachers to see."""

    scope_org_field = "bank__school"

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="publications", verbose_name=_("时间银行"))
    month = models.CharField(_("月份"), max_length=7)
    published_at = models.DateTimeField(_("公开时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公开人"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("余额公示")
        verbose_name_plural = _("余额公示")
        ordering = ["-month", "bank"]
        constraints = [models.UniqueConstraint(fields=["bank", "month"], name="timebank_publication_once")]

    def __str__(self) -> str:
        return f"{self.bank.school.name}{month_label(self.month)}时间余额公示"

    def statements(self):
        """The published rows: every statement of this bank and month (visible with the publication)."""
        return (
            MonthlyStatement.objects.filter(account__bank_id=self.bank_id, month=self.month)
            .select_related("account__staff")
            .order_by("account__staff__staff_no")
        )
