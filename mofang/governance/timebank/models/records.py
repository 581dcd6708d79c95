"""The records that cause ledger entries: substitution lessons, after-school duty, leave."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet

from .bank import Account, Bank

MAX_PERIODS_PER_RECORD = 8  # a school day has at most 8 periods


class WorkRecord(models.Model):
    """Abstract: recorded extra work that earns hours. Credits are computed, never typed in."""

    scope_org_field = "bank__school"
    scope_owner_field = "account__staff__user"

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+", verbose_name=_("时间银行"))
    # The school's own number for the record (import natural key); generated when left blank.
    record_no = models.CharField(_("记录编号"), max_length=40)
    date = models.DateField(_("日期"))
    periods = models.PositiveSmallIntegerField(_("课时数"))
    rate = models.DecimalField(_("折算标准（小时/课时）"), max_digits=3, decimal_places=1)
    hours = models.DecimalField(_("折算小时"), max_digits=5, decimal_places=1)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    objects = ScopedManager()

    class Meta:
        abstract = True


class SubstitutionRecord(WorkRecord):
    """额外代课: a teacher covered another teacher's lessons; 1 period earns the substitution rate."""

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="substitutions", verbose_name=_("代课教师")
    )
    absent = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("被代课教师")
    )

    class Meta:
        verbose_name = _("代课记录")
        verbose_name_plural = _("代课记录")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "record_no"], name="timebank_substitution_no_unique"),
            models.CheckConstraint(
                condition=models.Q(periods__gte=1, periods__lte=MAX_PERIODS_PER_RECORD),
                name="timebank_substitution_periods_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} 代课{self.periods}课时"

    def describe(self) -> str:
        whom = f"为{self.absent.name}" if self.absent is not None else ""
        return f"{self.date:%m月%d日}{whom}代课{self.periods}课时（×{self.rate}小时）"


class AfterSchoolDuty(WorkRecord):
    """课后托管: a teacher's after-school care duty; 1 period earns the after-school rate."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="duties", verbose_name=_("托管教师"))

    class Meta:
        verbose_name = _("托管记录")
        verbose_name_plural = _("托管记录")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "record_no"], name="timebank_duty_no_unique"),
            models.CheckConstraint(
                condition=models.Q(periods__gte=1, periods__lte=MAX_PERIODS_PER_RECORD),
                name="timebank_duty_periods_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} 托管{self.periods}课时"

    def describe(self) -> str:
        return f"{self.date:%m月%d日}课后托管{self.periods}课时（×{self.rate}小时）"


class LeaveKind(models.TextChoices):
    LEAVE = "leave", _("请假")
    DOUBLE_REDUCTION = "double_reduction", _("双减假")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已撤回")


class LeaveQuerySet(ScopedQuerySet):
    def pending(self):
        """待审批: the one rule of the approvals page, the home to-do and the cockpit."""
        return self.filter(status=LeaveStatus.PENDING)


class LeaveRequest(models.Model):
    """抵假: a teacher asks to offset leave against their time deposit; approval debits it."""

    scope_org_field = "account__bank__school"
    scope_owner_field = "account__staff__user"

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="leaves", verbose_name=_("时间账户"))
    kind = models.CharField(_("类型"), max_length=20, choices=LeaveKind.choices, default=LeaveKind.LEAVE)
    date = models.DateField(_("请假日期"))
    hours = models.DecimalField(_("抵扣小时"), max_digits=4, decimal_places=1)
    reason = models.CharField(_("事由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    objects = models.Manager.from_queryset(LeaveQuerySet)()

    class Meta:
        verbose_name = _("抵假申请")
        verbose_name_plural = _("抵假申请")
        ordering = ["-requested_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="timebank_leave_hours_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}{self.hours}小时"

    def describe(self) -> str:
        return f"{self.date:%m月%d日}{self.get_kind_display()}{self.hours}小时：{self.reason}"
