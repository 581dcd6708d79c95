"""Staff (教职工)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .. import identity
from .common import SealedIdentity, Sex


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
