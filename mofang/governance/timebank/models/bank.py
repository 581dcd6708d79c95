"""Banks, their effective-dated rates, and teachers' personal time accounts."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet
from mofang.platform.orgs.models import OrgUnit

ZERO = Decimal("0.0")


class BankQuerySet(ScopedQuerySet):
    def with_totals(self):
        """Annotate `account_count` and `balance_total` (sum of every entry of its accounts)."""
        from .ledger import LedgerEntry

        accounts = Account.objects.filter(bank=models.OuterRef("pk")).order_by().values("bank")
        entries = LedgerEntry.objects.filter(account__bank=models.OuterRef("pk")).order_by().values("account__bank")
        return self.annotate(
            account_count=Coalesce(models.Subquery(accounts.annotate(n=models.Count("pk")).values("n")), 0),
            balance_total=Coalesce(
                models.Subquery(entries.annotate(s=models.Sum("amount")).values("s")),
                models.Value(ZERO),
                output_field=models.DecimalField(max_digits=12, decimal_places=1),
            ),
        )


class Bank(models.Model):
    """A school's 时间银行: opened once per school; its accounts, rates and ledger hang off it."""

    scope_org_field = "school"

    school = models.OneToOneField(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="timebank",
        verbose_name=_("学校"),
        limit_choices_to={"kind": "school"},
    )
    started_on = models.DateField(_("起算日期"), help_text=_("早于该日期的代课、托管与请假不入账；默认本学年9月1日"))
    opened_at = models.DateTimeField(_("开通时间"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("开通人"),
    )

    objects = models.Manager.from_queryset(BankQuerySet)()

    class Meta:
        verbose_name = _("时间银行")
        verbose_name_plural = _("时间银行")
        ordering = ["school__path"]

    def __str__(self) -> str:
        return f"{self.school.name}时间银行"


class RateKind(models.TextChoices):
    SUBSTITUTION = "substitution", _("额外代课")
    AFTERSCHOOL = "afterschool", _("课后托管")


# The seed's rates (常山县): 代课 1 课时 → 0.5 小时; 托管 1 课时 → 1 小时 (等同于代课 2 课时).
DEFAULT_RATES = {RateKind.SUBSTITUTION: Decimal("0.5"), RateKind.AFTERSCHOOL: Decimal("1.0")}


class RateSchedule(models.Model):
    """折算标准: hours credited per period of one kind of work, in force from a date onward.

    The rate for a record is the row of its kind with the latest effective_from on or before
    the record's date; later rows never change credits already posted.
    """

    scope_org_field = "bank__school"

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="rates", verbose_name=_("时间银行"))
    kind = models.CharField(_("工作类型"), max_length=16, choices=RateKind.choices)
    hours_per_period = models.DecimalField(_("每课时折算小时"), max_digits=3, decimal_places=1)
    effective_from = models.DateField(_("生效日期"))
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("设置人"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("折算标准")
        verbose_name_plural = _("折算标准")
        ordering = ["bank", "kind", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "kind", "effective_from"], name="timebank_rate_once_per_day"),
            models.CheckConstraint(condition=models.Q(hours_per_period__gt=0), name="timebank_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} 1课时={self.hours_per_period}小时（{self.effective_from}起）"


class AccountQuerySet(ScopedQuerySet):
    def with_balance(self):
        """Annotate `balance` = SUM of the account's ledger entries (a subquery: no row fan-out)."""
        from .ledger import LedgerEntry

        total = (
            LedgerEntry.objects.filter(account=models.OuterRef("pk"))
            .order_by()
            .values("account")
            .annotate(s=models.Sum("amount"))
            .values("s")
        )
        return self.annotate(
            balance=Coalesce(
                models.Subquery(total),
                models.Value(ZERO),
                output_field=models.DecimalField(max_digits=9, decimal_places=1),
            )
        )


class Account(models.Model):
    """个人时间账户: one member of staff's time account at their school's bank.

    There is no stored balance: the balance is always the sum of the account's ledger entries.
    """

    scope_org_field = "bank__school"
    scope_owner_field = "staff__user"

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("时间银行"))
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="time_accounts", verbose_name=_("教师")
    )
    opened_at = models.DateTimeField(_("开户时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(AccountQuerySet)()

    class Meta:
        verbose_name = _("个人时间账户")
        verbose_name_plural = _("个人时间账户")
        ordering = ["bank", "staff__staff_no"]
        constraints = [models.UniqueConstraint(fields=["bank", "staff"], name="timebank_one_account_per_staff")]

    def __str__(self) -> str:
        return f"{self.staff.name}的时间账户"

    def current_balance(self) -> Decimal:
        """The balance now: the sum of every entry (use `with_balance()` for lists)."""
        if hasattr(self, "balance"):
            return self.balance
        return self.entries.aggregate(s=Coalesce(models.Sum("amount"), models.Value(ZERO)))["s"]
