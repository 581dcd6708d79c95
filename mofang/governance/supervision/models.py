"""教育督导: inspectors and their 责任区, checklists, inspection visits, findings and 整改通知.

A 整改通知 is a closed-loop case on the engine (`supervision.rectification`, cases.py); the
Rectification row beside it holds what the engine does not: the finding it came from, the term,
挂牌督导, the 回头看 schedule and the published result.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet
from mofang.platform.orgs.models import OrgUnit


class Inspector(models.Model):
    """A 督学 of a county's 督导室: full-time (专职) or part-time (兼职), with the login they act under."""

    scope_org_field = "county"
    scope_owner_field = "user"

    name = models.CharField(_("姓名"), max_length=50)
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区县"))
    full_time = models.BooleanField(_("专职"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
        verbose_name=_("账号"),
    )
    staff = models.OneToOneField(
        "people.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
        verbose_name=_("教职工档案"),
    )
    active = models.BooleanField(_("在岗"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("督学")
        verbose_name_plural = _("督学")
        ordering = ["county_id", "-full_time", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{'专职' if self.full_time else '兼职'}）"


class InspectorAssignment(models.Model):
    """One school of an inspector's 责任区 (the 责任督学 of that school) since a date; a school has one."""

    scope_org_field = "school"

    inspector = models.ForeignKey(
        Inspector, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("督学")
    )
    school = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="inspector_assignment", verbose_name=_("学校")
    )
    since = models.DateField(_("起始日期"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("责任区学校")
        verbose_name_plural = _("责任区学校")
        ordering = ["school__path"]

    def __str__(self) -> str:
        return f"{self.inspector.name} → {self.school.name}"


class Checklist(models.Model):
    """A configurable inspection checklist, e.g. the 20-item 责任督学进校督查 list (《责任督学进校督查20看》).

    A county's 督导室 keeps its own lists (`county` set, scoped to it); a list without a county is
    shared by every county (the shipped one) and read-only on the pages — a county copies it to
    change it. The items of a list that a visit used never change (see services.edit rules)."""

    scope_org_field = "county"

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("来源说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    county = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属区县")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("督查清单")
        verbose_name_plural = _("督查清单")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One numbered item of a checklist (看什么)."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("清单"))
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("督查内容"), max_length=200)

    class Meta:
        verbose_name = _("督查清单条目")
        verbose_name_plural = _("督查清单条目")
        ordering = ["checklist_id", "order"]
        constraints = [models.UniqueConstraint(fields=["checklist", "order"], name="supervision_item_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class Visit(models.Model):
    """An inspector's visit to a school (进校督查) against a checklist."""

    scope_org_field = "school"

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="visits", verbose_name=_("督学"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    visited_on = models.DateField(_("督查日期"))
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+", verbose_name=_("督查清单"))
    summary = models.TextField(_("总体情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("督查记录")
        verbose_name_plural = _("督查记录")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.school.name}"


class ItemResult(models.TextChoices):
    OK = "ok", _("符合")
    PROBLEM = "problem", _("存在问题")


class VisitItem(models.Model):
    """The result of one checklist item on a visit: 符合 or 存在问题, with a note and an optional photo."""

    scope_org_field = "visit__school"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="results", verbose_name=_("督查记录"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("条目"))
    result = models.CharField(_("结果"), max_length=10, choices=ItemResult.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    photo = models.FileField(_("照片"), upload_to="supervision/%Y/%m/", blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("督查条目结果")
        verbose_name_plural = _("督查条目结果")
        ordering = ["visit_id", "item__order"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="supervision_visit_item_unique")]

    def __str__(self) -> str:
        return f"{self.item.order}. {self.get_result_display()}"


class Finding(models.Model):
    """A problem found on a visit (督查发现的问题), with its evidence; it may become a 整改通知."""

    scope_org_field = "visit__school"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("督查记录"))
    visit_item = models.OneToOneField(
        VisitItem, on_delete=models.CASCADE, related_name="finding", verbose_name=_("条目结果")
    )
    description = models.CharField(_("问题描述"), max_length=500)
    evidence = models.FileField(_("佐证材料"), upload_to="supervision/%Y/%m/", blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["visit_id", "visit_item__item__order"]

    def __str__(self) -> str:
        return self.description


# the case states in which the school still owes its rectification
AWAITING_RECTIFICATION = ("issued", "rectifying")


class RectificationQuerySet(ScopedQuerySet):
    def recheck_due(self, day):
        """到期回头看: closed, and the 回头看 date has come — the rule of the list filter, the to-do and the cockpit."""
        return self.filter(case__state="closed", recheck_due__lte=day)

    def awaiting_rectification(self):
        """待完成整改: issued to the school and not yet reported back (待整改, 整改中) — the rule of the
        school's to-do and of the list filter it opens."""
        return self.filter(case__state__in=AWAITING_RECTIFICATION)


class Rectification(models.Model):
    """A 整改通知 issued to a school: the engine case plus the term, 挂牌督导, 回头看 and publication."""

    scope_org_field = ("county", "school")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="rectification", verbose_name=_("案件")
    )
    finding = models.OneToOneField(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification",
        verbose_name=_("督查问题"),
    )
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    term_days = models.PositiveSmallIntegerField(_("整改期限（天）"))
    major = models.BooleanField(_("挂牌督导"), default=False)
    recheck_days = models.PositiveSmallIntegerField(_("回头看间隔（天）"), default=90)
    recheck_due = models.DateField(_("回头看日期"), null=True, blank=True)
    recheck_done_at = models.DateTimeField(_("回头看时间"), null=True, blank=True)
    recheck_note = models.CharField(_("回头看情况"), max_length=500, blank=True)
    published = models.BooleanField(_("已公开整改结果"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    public_summary = models.TextField(_("公开的整改情况"), blank=True)

    objects = models.Manager.from_queryset(RectificationQuerySet)()

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.school.name}"
