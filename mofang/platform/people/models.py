"""Students, staff and guardians. ID numbers and phones are sealed at rest and shown masked."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from . import identity


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class SealedIdentity(models.Model):
    """Abstract: an ID number stored as ciphertext + keyed hash + masked form."""

    id_number_sealed = models.TextField(_("身份证号（密文）"), blank=True, editable=False)
    # indexed in each concrete model's Meta: a plain b-tree, without the varchar_pattern_ops
    # twin PostgreSQL gets from db_index=True (never used: hashes are only compared for equality)
    id_number_hash = models.CharField(max_length=40, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_id_number(self, plain: str) -> None:
        self.id_number_sealed = identity.seal(plain)
        self.id_number_hash = identity.lookup_hash(plain)
        self.id_number_masked = identity.mask_id_number(plain)


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


class Staff(SealedIdentity):
    """A member of staff (教职工): teacher, leader or bureau/department officer."""

    scope_org_field = "org"
    scope_owner_field = "user"

    staff_no = models.CharField(_("工号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("单位"))
    position = models.CharField(_("岗位"), max_length=50, blank=True)
    subject = models.CharField(_("任教学科"), max_length=30, blank=True)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True, editable=False)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("账号")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("教职工")
        verbose_name_plural = _("教职工")
        ordering = ["org_id", "staff_no"]
        constraints = [models.UniqueConstraint(fields=["staff_no"], name="staff_no_unique")]
        indexes = [models.Index(fields=["id_number_hash"], name="staff_id_hash_idx")]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, plain: str) -> None:
        self.phone_sealed = identity.seal(plain)
        self.phone_masked = identity.mask_mobile(plain)

    @property
    def phone(self) -> str:
        """The clear phone number, for sending messages only (never for display)."""
        return identity.unseal(self.phone_sealed)


class Guardian(models.Model):
    """A parent or guardian (家长) linked to one or more children."""

    scope_org_field = "school"
    scope_owner_field = "user"

    name = models.CharField(_("姓名"), max_length=50)
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="guardians", verbose_name=_("学校"))
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True, editable=False)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="guardian", verbose_name=_("账号")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("家长")
        verbose_name_plural = _("家长")
        indexes = [models.Index(fields=["phone_hash"], name="guardian_phone_hash_idx")]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, plain: str) -> None:
        self.phone_sealed = identity.seal(plain)
        self.phone_hash = identity.lookup_hash(plain)
        self.phone_masked = identity.mask_mobile(plain)


class Guardianship(models.Model):
    """Guardian ↔ child, with the relation (父亲, 母亲 …)."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(_("关系"), max_length=10, default="家长")

    class Meta:
        verbose_name = _("监护关系")
        verbose_name_plural = _("监护关系")
        constraints = [models.UniqueConstraint(fields=["guardian", "student"], name="guardianship_unique")]
