"""视力健康 — models: one screening result per student per screening round (学年 + 学期), and the
letter to the parents of a child newly screened as myopic."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import Student

from . import engine


class Glasses(models.TextChoices):
    NONE = "none", _("未戴镜")
    FRAME = "frame", _("框架眼镜")
    ORTHOK = engine.ORTHOK, _("角膜塑形镜")
    CONTACT = "contact", _("隐形眼镜")


class Status(models.TextChoices):
    NORMAL = engine.NORMAL, _("视力正常")
    POOR = engine.POOR, _("视力不良")
    MYOPIA = engine.MYOPIA, _("筛查性近视")


class Degree(models.TextChoices):
    NONE = "", _("—")
    LOW = engine.LOW, _("低度近视")
    MODERATE = engine.MODERATE, _("中度近视")
    HIGH = engine.HIGH, _("高度近视")


class TermNo(models.IntegerChoices):
    FIRST = 1, _("第一学期")
    SECOND = 2, _("第二学期")


def round_of(day) -> tuple[int, int]:
    """(学年起始年, 学期) of a screening date: September–January is the first term, February–August the second."""
    if day.month >= 9:
        return day.year, 1
    if day.month == 1:
        return day.year - 1, 1
    return day.year - 1, 2


class ScreeningQuerySet(ScopedQuerySet):
    def latest_per_student(self):
        """Each student's last screening among these rows' rounds of the same school year (a
        school year's rate counts a child once, by the latest of its screenings)."""
        later = Screening.objects.filter(
            student_id=OuterRef("student_id"), school_year=OuterRef("school_year"), term__gt=OuterRef("term")
        )
        return self.exclude(Exists(later))


class Screening(models.Model):
    """One student's vision screening in one round (学年 + 学期). School, class and grade are those
    at screening time, so the figures of a past year stay as they were after promotion."""

    scope_org_field = ("school", "klass")
    scope_owner_field = "student__guardianships__guardian__user"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("学生"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    klass = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("班级")
    )
    grade = models.SmallIntegerField(_("年级"), null=True, blank=True)
    school_year = models.PositiveSmallIntegerField(_("学年"))
    term = models.PositiveSmallIntegerField(_("学期"), choices=TermNo.choices)
    screened_on = models.DateField(_("筛查日期"))
    right_acuity = models.DecimalField(_("右眼裸眼视力"), max_digits=2, decimal_places=1)
    left_acuity = models.DecimalField(_("左眼裸眼视力"), max_digits=2, decimal_places=1)
    right_sphere = models.DecimalField(_("右眼球镜"), max_digits=5, decimal_places=2, null=True, blank=True)
    right_cylinder = models.DecimalField(_("右眼柱镜"), max_digits=5, decimal_places=2, null=True, blank=True)
    right_axis = models.PositiveSmallIntegerField(_("右眼轴位"), null=True, blank=True)
    left_sphere = models.DecimalField(_("左眼球镜"), max_digits=5, decimal_places=2, null=True, blank=True)
    left_cylinder = models.DecimalField(_("左眼柱镜"), max_digits=5, decimal_places=2, null=True, blank=True)
    left_axis = models.PositiveSmallIntegerField(_("左眼轴位"), null=True, blank=True)
    glasses = models.CharField(_("戴镜情况"), max_length=8, choices=Glasses.choices, default=Glasses.NONE)
    right_corrected = models.DecimalField(_("右眼矫正视力"), max_digits=2, decimal_places=1, null=True, blank=True)
    left_corrected = models.DecimalField(_("左眼矫正视力"), max_digits=2, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("筛查结果"), max_length=8, choices=Status.choices)
    degree = models.CharField(_("近视程度"), max_length=8, choices=Degree.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager.from_queryset(ScreeningQuerySet)()

    class Meta:
        verbose_name = _("视力筛查结果")
        verbose_name_plural = _("视力筛查结果")
        ordering = ["-school_year", "-term", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year", "term"], name="vision_screening_once_a_round")
        ]
        indexes = [models.Index(fields=["school", "school_year", "term"], name="vision_school_round_idx")]

    def __str__(self) -> str:
        return f"{self.student}的视力筛查（{self.round_name}）"

    @property
    def round_name(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}学年{TermNo(self.term).label}"

    @property
    def right_eye(self) -> engine.Eye:
        return engine.Eye(self.right_acuity, self.right_sphere, self.right_cylinder)

    @property
    def left_eye(self) -> engine.Eye:
        return engine.Eye(self.left_acuity, self.left_sphere, self.left_cylinder)

    def classify(self) -> None:
        result = engine.classify(self.right_eye, self.left_eye, self.glasses)
        self.status, self.degree = result.status, result.degree

    @property
    def is_myopic(self) -> bool:
        return self.status == Status.MYOPIA


class Letter(models.Model):
    """告家长书: sent once per child per screening, when the child is newly screened as myopic."""

    scope_org_field = "school"
    scope_owner_field = "screening__student__guardianships__guardian__user"

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="letter", verbose_name=_("筛查"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("收信家长数"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("近视告家长书")
        verbose_name_plural = _("近视告家长书")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"告家长书（{self.screening}）"
