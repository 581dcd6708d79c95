"""清单管理: annual work-plan lists (攻坚清单, 任务清单, 工作要点), their items, milestones and the
lead units' monthly progress reports.

A list belongs to a region's bureau (its `owner`: province, city or county). An item is seen by the
owner's administrators, by its lead unit (牵头单位) and by its cooperating units (配合单位); the
lead unit reports progress once a month. An item's status is computed, never stored (status.py).
Indicators are referred to by their code (a CharField), not a foreign key.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet
from mofang.platform.orgs.models import OrgUnit


class PlanKind(models.TextChoices):
    KEY = "key", _("攻坚清单")
    TASK = "task", _("任务清单")
    POINTS = "points", _("工作要点")
    OTHER = "other", _("其他清单")


class Direction(models.TextChoices):
    HIGHER = "higher", _("达到或超过目标")
    LOWER = "lower", _("不超过目标")


class WorkPlan(models.Model):
    """One annual list of a bureau, e.g. 丽水市教育局2021年工作要点 or 宁波市教育局2019年攻坚清单."""

    scope_org_field = "owner"

    owner = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属教育局"))
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("清单类型"), max_length=10, choices=PlanKind.choices, default=PlanKind.POINTS)
    name = models.CharField(_("清单名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("工作清单")
        verbose_name_plural = _("工作清单")
        ordering = ["-year", "owner__path", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "year", "name"], name="workplans_plan_unique")]

    def __str__(self) -> str:
        return self.name


class WorkItemQuerySet(ScopedQuerySet):
    def unreported(self, day):
        """This year's items with no progress report for this month (the lead unit's monthly 报送) —
        the rule of “我的清单事项 ?pending=1”, the to-do and the cockpit."""
        return self.filter(plan__year=day.year).exclude(reports__month=f"{day:%Y-%m}").distinct()

    def led_by_units_of(self, user):
        """我牵头的: items whose lead unit is one where the user reports (holds workplans.report there) —
        the rule of “我的清单事项 ?lead=mine” and the to-do."""
        units = [m.org_id for m in user.active_memberships() if "workplans.report" in m.role.permissions]
        return self.filter(lead_unit_id__in=units)


class WorkItem(models.Model):
    """One item of a list: 目标任务 (optionally a number, or an indicator measured from data), 工作措施,
    the lead unit (a region, department or school) and cooperating units."""

    # owner's administrators, the lead unit and the cooperating units all see the item
    scope_org_field = ("plan__owner", "lead_unit", "cooperating_units")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("清单"))
    number = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("分类"), max_length=100, blank=True)
    title = models.CharField(_("事项"), max_length=200)
    target_text = models.TextField(_("目标任务"))
    measures = models.TextField(_("工作措施"), blank=True)
    lead_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    cooperating_units = models.ManyToManyField(OrgUnit, blank=True, related_name="+", verbose_name=_("配合单位"))
    target_value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline = models.DecimalField(_("年初基数"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("计量单位"), max_length=10, blank=True)
    direction = models.CharField(_("目标方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    indicator_code = models.CharField(_("指标代码"), max_length=80, blank=True)

    objects = models.Manager.from_queryset(WorkItemQuerySet)()

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="workplans_item_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def measured(self) -> bool:
        return bool(self.indicator_code)

    @property
    def numeric(self) -> bool:
        return self.target_value is not None or self.measured


class Milestone(models.Model):
    """A dated 节点 of an item (e.g. 6月底前完成方案制订); `done_on` set when the lead unit reports it done."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("事项"))
    due = models.DateField(_("节点日期"))
    description = models.CharField(_("节点内容"), max_length=200)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["item_id", "due", "id"]

    def __str__(self) -> str:
        return f"{self.due:%Y-%m-%d} {self.description}"


class ProgressReport(models.Model):
    """The lead unit's report for one item and one month (one per month; a later report the same
    month replaces the text and figures): what was done, percent complete or the value reached."""

    scope_org_field = ("item__plan__owner", "item__lead_unit")

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="reports", verbose_name=_("事项"))
    month = models.CharField(_("月份"), max_length=7)  # "2026-11"
    text = models.TextField(_("进展情况"))
    percent = models.DecimalField(_("完成进度（%）"), max_digits=5, decimal_places=1, null=True, blank=True)
    value = models.DecimalField(_("完成值"), max_digits=14, decimal_places=2, null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送人"),
    )
    reported_at = models.DateTimeField(_("报送时间"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("月度进展")
        verbose_name_plural = _("月度进展")
        ordering = ["item_id", "-month"]
        constraints = [models.UniqueConstraint(fields=["item", "month"], name="workplans_report_month_unique")]

    def __str__(self) -> str:
        return f"{self.item} {self.month}"


class ReportAttachment(models.Model):
    """A file attached to a monthly report (PDF, JPG or PNG; checked by content)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("月度进展")
    )
    file = models.FileField(_("附件"), upload_to="workplans/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)

    class Meta:
        verbose_name = _("进展附件")
        verbose_name_plural = _("进展附件")

    def __str__(self) -> str:
        return self.name
