"""校外培训机构监管: the registry of institutions and the region's black and white lists.

The after-school module (resources.afterschool) reads the white list through
`selectors.whitelisted_institutions`; everything else about institutions lives in this app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit


class Category(models.TextChoices):
    SUBJECT = "subject", _("学科类")
    TECH = "tech", _("非学科类·科技")
    ARTS = "arts", _("非学科类·文化艺术")
    SPORTS = "sports", _("非学科类·体育")
    OTHER = "other", _("非学科类·其他")


class Status(models.TextChoices):
    PREPARING = "preparing", _("筹设")
    REVIEWING = "reviewing", _("审批中")
    NORMAL = "normal", _("正常")
    RECTIFYING = "rectifying", _("整改")
    SUSPENDED = "suspended", _("停业")
    CANCELLED = "cancelled", _("注销")


class Institution(models.Model):
    """One off-campus training institution, registered in a county (its data scope)."""

    scope_org_field = "region"

    name = models.CharField(_("机构名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    licence_no = models.CharField(_("办学许可证号"), max_length=40, blank=True)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    region = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("属地"))
    approving_department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批部门")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PREPARING)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("校外培训机构")
        verbose_name_plural = _("校外培训机构")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name


class ListKind(models.TextChoices):
    WHITE = "white", _("白名单")
    BLACK = "black", _("黑名单")


class ListEntry(models.Model):
    """An institution on a region's white or black list from `start` until `end` (open-ended if empty)."""

    scope_org_field = "region"

    kind = models.CharField(_("名单"), max_length=8, choices=ListKind.choices)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="list_entries", verbose_name=_("机构")
    )
    region = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布地区"))
    reason = models.CharField(_("理由"), max_length=300)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("黑白名单")
        verbose_name_plural = _("黑白名单")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="institutions_listentry_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.institution}"


# --- what the lead's registry did not yet hold (issue 5, second half) -----------------------

# Status changes allowed by hand or by a service; 审批中 → 正常 only through an approval, and
# 正常 ↔ 整改 through a rectification case (services enforce which path may take which step).
STATUS_TRANSITIONS: dict[str, set[str]] = {
    Status.PREPARING: {Status.REVIEWING, Status.CANCELLED},
    Status.REVIEWING: {Status.NORMAL, Status.PREPARING, Status.CANCELLED},
    Status.NORMAL: {Status.RECTIFYING, Status.SUSPENDED, Status.CANCELLED},
    Status.RECTIFYING: {Status.NORMAL, Status.SUSPENDED, Status.CANCELLED},
    Status.SUSPENDED: {Status.NORMAL, Status.CANCELLED},
    Status.CANCELLED: set(),
}


class Site(models.Model):
    """One 办学场所 of an institution (an institution may teach at several addresses)."""

    scope_org_field = "institution__region"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sites", verbose_name=_("机构"))
    address = models.CharField(_("场所地址"), max_length=200)
    area = models.DecimalField(_("面积（平方米）"), max_digits=9, decimal_places=1)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("办学场所")
        verbose_name_plural = _("办学场所")
        ordering = ["institution", "pk"]

    def __str__(self) -> str:
        return self.address


class Teacher(models.Model):
    """A teacher employed by an institution, with the number of the 教师资格证 they hold."""

    scope_org_field = "institution__region"

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="teachers", verbose_name=_("机构")
    )
    name = models.CharField(_("姓名"), max_length=50)
    certificate_no = models.CharField(_("教师资格证号"), max_length=30, blank=True)
    subject = models.CharField(_("任教科目"), max_length=50)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训机构教师")
        verbose_name_plural = _("培训机构教师")
        ordering = ["institution", "pk"]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    PENDING = "", _("审批中")
    APPROVED = "approved", _("批准")
    REFUSED = "refused", _("不予批准")


class Application(models.Model):
    """An institution's application for approval (办学审批), handled as a case by the department
    that owns its category. Seen by the institution's county and by the department it went to."""

    scope_org_field = ("institution__region", "case__responsible_org")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="applications", verbose_name=_("机构")
    )
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件"))
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("受理部门"))
    submitted_at = models.DateTimeField(_("申请时间"))
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices, blank=True, default="")
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("办学审批申请")
        verbose_name_plural = _("办学审批申请")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution}的办学申请"


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("检查")
    COVERT = "covert", _("暗访")


class Inspection(models.Model):
    """An inspection or a covert check (暗访) of an institution; a finding may open a
    rectification case, which puts the institution in 整改 until it is closed."""

    scope_org_field = "institution__region"

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("机构")
    )
    kind = models.CharField(_("方式"), max_length=12, choices=InspectionKind.choices)
    date = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=100)
    findings = models.TextField(_("发现问题"), blank=True)
    rectification = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("整改案件")
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查与暗访")
        verbose_name_plural = _("检查与暗访")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.institution} {self.date}"


class PublicReport(models.Model):
    """A report from the public (有奖举报) of unlicensed subject tutoring, filed at the county of
    the place; handled as a case; the reporter follows it with a query code; a substantiated
    report may carry a reward recorded by the handler."""

    scope_org_field = "county"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件"))
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("属地区县"))
    query_code = models.CharField(_("查询码"), max_length=12, unique=True)
    target_name = models.CharField(_("被举报对象"), max_length=100)
    phone_sealed = models.TextField(_("联系电话（加密）"), blank=True)
    reward_amount = models.DecimalField(_("奖励金额（元）"), max_digits=9, decimal_places=2, null=True, blank=True)
    rewarded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("奖励登记人"),
    )
    rewarded_at = models.DateTimeField(_("奖励登记时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("举报时间"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("有奖举报")
        verbose_name_plural = _("有奖举报")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"举报：{self.target_name}"


class FeeAccount(models.Model):
    """The institution's supervised account (预收费资金监管账户) at a bank."""

    scope_org_field = "institution__region"

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="fee_account", verbose_name=_("机构")
    )
    bank = models.CharField(_("监管银行"), max_length=100)
    account_no = models.CharField(_("监管账号"), max_length=40)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("预收费监管账户")
        verbose_name_plural = _("预收费监管账户")

    def __str__(self) -> str:
        return f"{self.bank} {self.account_no}"


class FeeLimit(models.Model):
    """A region's limit on fees paid at once (default: 3 months or 60 lessons); the nearest
    region above an institution with a row of its own sets the limit."""

    scope_org_field = "region"

    region = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("地区"))
    max_months = models.PositiveSmallIntegerField(_("最多预收月数"), default=3)
    max_lessons = models.PositiveSmallIntegerField(_("最多预收课时"), default=60)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("预收费上限")
        verbose_name_plural = _("预收费上限")

    def __str__(self) -> str:
        return f"{self.region}：{self.max_months}个月/{self.max_lessons}课时"


class Charge(models.Model):
    """One fee an institution took from a student; flagged when it covers more months or lessons
    than the limit in force where the institution is registered (checked when recorded)."""

    scope_org_field = "institution__region"

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="charges", verbose_name=_("机构")
    )
    student_name = models.CharField(_("学员"), max_length=50)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    lessons = models.PositiveIntegerField(_("课时数"))
    months = models.PositiveIntegerField(_("覆盖月数"))
    paid_on = models.DateField(_("收费日期"))
    flagged = models.BooleanField(_("超限"), default=False, db_index=True)
    flag_reason = models.CharField(_("超限说明"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("登记人")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("预收费记录")
        verbose_name_plural = _("预收费记录")
        ordering = ["-paid_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution} {self.student_name} {self.amount}"
