"""Guardians (家长) and their links to children."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .. import identity
from .students import Student


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
