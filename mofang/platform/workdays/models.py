"""The days a bureau declares for its own region on top of the national calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit


class DayKind(models.TextChoices):
    WORKING = "working", _("上班")
    HOLIDAY = "holiday", _("放假")


class BureauDay(models.Model):
    """A day a province, city or county declares for its own region: a local holiday (e.g. 景宁畲族
    自治县的“三月三”) or a working day (调休上班), or a year's official arrangement entered by hand
    when the platform's national calendar does not know that year yet. It applies to every unit in
    the declaring unit's subtree; where a region and a unit below it both declare a date, the lower one wins."""

    scope_org_field = "org"

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("适用地区"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称或事由"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("本地放假与调休日")
        verbose_name_plural = _("本地放假与调休日")
        ordering = ["date", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "date"], name="workdays_one_entry_per_org_and_date")]
        indexes = [models.Index(fields=["date"], name="workdays_day_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    @property
    def weekday_label(self) -> str:
        return f"周{'一二三四五六日'[self.date.weekday()]}"
