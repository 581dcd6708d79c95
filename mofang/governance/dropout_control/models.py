"""The population register (户籍适龄儿童名册) as dated snapshots per county, and the link between a
child out of school and the county's case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import Sex
from mofang.platform.people.models.common import SealedIdentity


class RegisterBatch(models.Model):
    """One import of a county's register (批次): the snapshot at its reference date."""

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    reference_date = models.DateField(_("基准日期"))
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    children = models.PositiveIntegerField(_("儿童数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("适龄儿童名册批次")
        verbose_name_plural = _("适龄儿童名册批次")
        ordering = ["-reference_date", "-pk"]
        indexes = [models.Index(fields=["county", "-reference_date"], name="dropout_batch_county_idx")]

    def __str__(self) -> str:
        return f"{self.county.name} {self.reference_date:%Y-%m-%d} 名册"


class RegisterChild(SealedIdentity):
    """A child of compulsory-education age in one register batch; the ID number is sealed as the
    roll's is (ciphertext + keyed hash), so matching compares hashes only."""

    scope_org_field = "county"

    batch = models.ForeignKey(RegisterBatch, on_delete=models.CASCADE, related_name="rows", db_index=False)
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    hukou_region = models.CharField(_("户籍地区划代码"), max_length=12)
    residence_region = models.CharField(_("居住地区划代码"), max_length=12)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("适龄儿童")
        verbose_name_plural = _("适龄儿童")
        ordering = ["batch_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "id_number_hash"], name="dropout_child_once")]

    def __str__(self) -> str:
        return self.name


class ListKind(models.TextChoices):
    NO_RECORD = "no_record", _("无学籍")
    OUT = "out", _("辍学或休学逾期")
    TRANSFERRED = "transferred", _("转出未接收")


class ExplainReason(models.TextChoices):
    ABROAD = "abroad", _("出国（境）")
    HOME_TEACHING = "home_teaching", _("送教上门")
    MIGRANT = "migrant", _("随迁就读（外省）")
    DECEASED = "deceased", _("死亡")
    DEFERRED = "deferred", _("因病缓学")
    OTHER = "other", _("其他")


class ChildCase(models.Model):
    """The county's case about one child out of school (one open case per child and county)."""

    scope_org_field = "county"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="dropout_child")
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    child = models.ForeignKey(RegisterChild, on_delete=models.PROTECT, related_name="cases", verbose_name=_("儿童"))
    id_number_hash = models.CharField(max_length=40, editable=False)
    list_kind = models.CharField(_("名单"), max_length=16, choices=ListKind.choices)
    reason = models.CharField(_("说明原因"), max_length=20, choices=ExplainReason.choices, blank=True)
    open = models.BooleanField(_("办理中"), default=True)
    created_at = models.DateTimeField(_("立案时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("控辍保学案件")
        verbose_name_plural = _("控辍保学案件")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "id_number_hash"], condition=models.Q(open=True), name="dropout_one_open_case"
            )
        ]
        indexes = [models.Index(fields=["county", "id_number_hash"], name="dropout_case_child_idx")]

    def __str__(self) -> str:
        return self.child.name
