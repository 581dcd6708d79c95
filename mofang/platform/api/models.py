"""Per-system API keys (外部系统接口密钥) and the answers remembered for idempotent writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedQuerySet
from mofang.platform.orgs.models import OrgUnit


class ApiKey(models.Model):
    """One other system's key: it writes, as its own service account, the record kinds it is given,
    inside the subtree of `org`. The secret is shown once; only its SHA-256 is kept."""

    scope_org_field = "org"

    name = models.CharField(_("系统名称"), max_length=60)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("可写范围"))
    kinds = models.JSONField(_("可写数据"), default=list)
    prefix = models.CharField(_("密钥前缀"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key", verbose_name=_("接口账号")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentAnswer(models.Model):
    """The first answer to a write sent with an Idempotency-Key, replayed for the same key and body."""

    scope_org_field = "api_key__org"

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+", verbose_name=_("接口密钥"))
    idempotency_key = models.CharField(_("幂等键"), max_length=100)
    endpoint = models.CharField(_("接口"), max_length=60)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(_("状态码"))
    body = models.JSONField(_("应答"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("幂等应答")
        verbose_name_plural = _("幂等应答")
        constraints = [
            models.UniqueConstraint(fields=["api_key", "endpoint", "idempotency_key"], name="api_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.idempotency_key}"
