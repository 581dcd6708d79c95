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
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="list_entries",
                                    verbose_name=_("机构"))
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
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                   name="institutions_listentry_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.institution}"
