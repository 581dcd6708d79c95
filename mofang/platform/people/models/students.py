"""The student roll (学籍)."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .. import grades
from .common import SealedIdentity, Sex
from .roll import RollStatus, SchoolYear


class Student(SealedIdentity):
    """A student (学生) on a school's roll, identified nationally by the 学籍号.

    `entry_year` (入学年份), `grade` and `school_year` are kept consistent by the roll services:
    grade = first grade of the school type + (school_year − entry_year). `status` changes only
    through those services, each of which appends a RollEvent.
    """

    scope_org_field = ("school", "klass")  # a 班主任 holds the class, a 校长 the school
    scope_owner_field = "guardianships__guardian__user"

    student_no = models.CharField(_("学籍号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    # indexed by student_school_roll_idx (school, status, grade), which serves every look-up by school
    school = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="students", db_index=False, verbose_name=_("学校")
    )
    klass = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="class_students", verbose_name=_("班级")
    )
    enrolled_on = models.DateField(_("入学日期"), null=True, blank=True)
    entry_year = models.PositiveSmallIntegerField(_("入学年份"), null=True, blank=True)
    grade = models.SmallIntegerField(_("年级"), null=True, blank=True)
    # the school year `grade` refers to: year-end promotion moves it on by one, once
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("学籍学年"),
    )
    status = models.CharField(
        _("学籍状态"),
        max_length=16,
        choices=RollStatus.choices,
        default=RollStatus.ENROLLED,
        db_default=RollStatus.ENROLLED,
    )
    # what incremental indicator refreshes look for; the import and the promotion set it too
    # a set-based writer that leaves it out (COPY, INSERT … SELECT) stamps the row all the same
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now())

    objects = ScopedManager()

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["school_id", "student_no"]
        # constraints/indexes rather than unique=True/db_index=True: no unused LIKE-index copies,
        # which cost a million-row import about a fifth of its write time on PostgreSQL
        constraints = [models.UniqueConstraint(fields=["student_no"], name="student_no_unique")]
        indexes = [
            models.Index(fields=["id_number_hash"], name="student_id_hash_idx"),
            models.Index(fields=["updated_at"], name="student_updated_at_idx"),
            models.Index(fields=["school", "status", "grade"], name="student_school_roll_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_name(self) -> str:
        return grades.grade_name(self.school.school_type, self.grade)

    @property
    def on_roll(self) -> bool:
        return self.status in (RollStatus.ENROLLED, RollStatus.SUSPENDED)
