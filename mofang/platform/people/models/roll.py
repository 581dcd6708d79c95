"""The school calendar and the student roll's history (学籍): school years and terms, the dated,
append-only roll events (入学, 转入, 转出, 休学, 复学, 升级, 毕业, 辍学) and the class a student
was placed in each school year."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .. import grades


class SchoolYear(models.Model):
    """A school year (学年), e.g. 2026-2027学年 from 1 September 2026 to 31 August 2027."""

    start_year = models.PositiveSmallIntegerField(_("起始年份"), unique=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("学年")
        verbose_name_plural = _("学年")
        ordering = ["start_year"]

    def __str__(self) -> str:
        return grades.school_year_name(self.start_year)

    @property
    def name(self) -> str:
        return str(self)

    @classmethod
    def on(cls, day: dt.date) -> "SchoolYear | None":
        """The school year a day falls in, found by its dates (None when it is not set up yet)."""
        return cls.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


class TermNumber(models.IntegerChoices):
    FIRST = 1, _("第一学期")
    SECOND = 2, _("第二学期")


class Term(models.Model):
    """A term (学期) of a school year: 第一学期 (autumn) and 第二学期 (spring)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms", verbose_name=_("学年"))
    number = models.PositiveSmallIntegerField(_("学期"), choices=TermNumber.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        ordering = ["starts_on"]
        constraints = [models.UniqueConstraint(fields=["school_year", "number"], name="term_once_per_year")]

    def __str__(self) -> str:
        return f"{self.school_year}{self.get_number_display()}"

    @classmethod
    def on(cls, day: dt.date) -> "Term | None":
        return cls.objects.filter(starts_on__lte=day, ends_on__gte=day).select_related("school_year").first()


class RollStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在读")
    SUSPENDED = "suspended", _("休学")
    TRANSFERRED_OUT = "transferred_out", _("转出")
    GRADUATED = "graduated", _("毕业")
    DROPPED_OUT = "dropped_out", _("辍学")


class RollEventKind(models.TextChoices):
    ENROL = "enrol", _("入学")
    TRANSFER_IN = "transfer_in", _("转入")
    TRANSFER_OUT = "transfer_out", _("转出")
    SUSPEND = "suspend", _("休学")
    RESUME = "resume", _("复学")
    PROMOTE = "promote", _("升级")
    GRADUATE = "graduate", _("毕业")
    DROPOUT = "dropout", _("辍学")


class RollEvent(models.Model):
    """One dated change of a student's roll (学籍异动). Append-only in the database: a mistake is
    corrected by a later event, never by editing this one."""

    scope_org_field = "school"

    # few indexes: a year-end promotion inserts a row per student (student look-ups use roll_event_student_idx)
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="roll_events", db_index=False, verbose_name=_("学生")
    )
    kind = models.CharField(_("异动类型"), max_length=16, choices=RollEventKind.choices)
    occurred_on = models.DateField(_("异动日期"))
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("学年")
    )
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    grade = models.SmallIntegerField(_("年级"), null=True, blank=True)
    klass = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
        verbose_name=_("班级"),
    )
    status = models.CharField(_("异动后状态"), max_length=16, choices=RollStatus.choices)
    other_school = models.CharField(_("转入来源/转出去向"), max_length=100, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    # an append-only row cannot be SET_NULL'd when its user goes, hence no database constraint
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("学籍异动")
        verbose_name_plural = _("学籍异动")
        ordering = ["student_id", "occurred_on", "id"]
        indexes = [models.Index(fields=["student", "occurred_on"], name="roll_event_student_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("学籍异动记录只能追加，不能删除")

    @property
    def grade_name(self) -> str:
        return grades.grade_name(self.school.school_type, self.grade)


class ClassPlacement(models.Model):
    """Which grade and class (分班) a student was in during one school year; the current class also
    stays on the student (`Student.klass`)."""

    scope_org_field = ("school", "klass")

    # (student, school_year) is the unique constraint's index; no separate ones
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="placements", db_index=False, verbose_name=_("学生")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("学年")
    )
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    grade = models.SmallIntegerField(_("年级"))
    klass = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("班级")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("分班记录")
        verbose_name_plural = _("分班记录")
        ordering = ["student_id", "school_year_id"]
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="placement_once_per_year")]

    def __str__(self) -> str:
        return f"{self.school_year} {self.klass or ''}"
