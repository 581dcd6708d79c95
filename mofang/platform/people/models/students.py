"""The student roll (学籍)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .common import SealedIdentity, Sex


class Student(SealedIdentity):
    """A student (学生) on a school's roll, identified nationally by the 学籍号."""

    scope_org_field = ("school", "klass")  # a 班主任 holds the class, a 校长 the school
    scope_owner_field = "guardianships__guardian__user"

    student_no = models.CharField(_("学籍号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="students", verbose_name=_("学校"))
    klass = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="class_students", verbose_name=_("班级")
    )
    enrolled_on = models.DateField(_("入学日期"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["school_id", "student_no"]
        # constraints/indexes rather than unique=True/db_index=True: no unused LIKE-index copies,
        # which cost a million-row import about a fifth of its write time on PostgreSQL
        constraints = [models.UniqueConstraint(fields=["student_no"], name="student_no_unique")]
        indexes = [models.Index(fields=["id_number_hash"], name="student_id_hash_idx")]

    def __str__(self) -> str:
        return self.name
