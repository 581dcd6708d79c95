"""What students, staff and guardians share: sex and the sealed ID number."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import identity


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
