"""校园安全's own rows: schools' safety profiles and 一校一单 ticks, and 服务指导 visits. The hazards
themselves are cases of the platform's engine (cases.py), routed by the engine's routing table."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit


class SchoolSafetyProfile(models.Model):
    """A school's safety profile (学校安全档案): the facts that decide which items its own
    checklist (一校一单) carries — near water, boarding, kindergarten, on a main road …"""

    scope_org_field = "school"

    school = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    near_water = models.BooleanField(_("临水（周边有河塘水库）"), default=False)
    boarding = models.BooleanField(_("寄宿制"), default=False)
    kindergarten = models.BooleanField(_("幼儿园或附设幼儿班"), default=False)
    main_road = models.BooleanField(_("校门临主干道"), default=False)
    canteen = models.BooleanField(_("自办食堂"), default=False)
    construction = models.BooleanField(_("校内或周边在建工程"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("学校安全档案")
        verbose_name_plural = _("学校安全档案")

    def __str__(self) -> str:
        return f"{self.school}安全档案"


class ChecklistTick(models.Model):
    """One 一校一单 item ticked off by a school for one period (a month, "2026-11")."""

    scope_org_field = "school"

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    period = models.CharField(_("周期"), max_length=7)
    item = models.CharField(_("检查项"), max_length=40)
    note = models.CharField(_("情况说明"), max_length=200, blank=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    ticked_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("一校一单填报")
        verbose_name_plural = _("一校一单填报")
        ordering = ["school", "period", "item"]
        constraints = [models.UniqueConstraint(fields=["school", "period", "item"], name="campus_safety_tick_once")]

    def __str__(self) -> str:
        return f"{self.school} {self.period} {self.item}"


class ServiceVisit(models.Model):
    """服务指导: a department's scheduled visit to a school (date, topic) and what came of it."""

    scope_org_field = ("school", "department")

    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    date = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=100)
    result = models.TextField(_("指导情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("服务指导")
        verbose_name_plural = _("服务指导")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.department} {self.date} {self.school} {self.topic}"
