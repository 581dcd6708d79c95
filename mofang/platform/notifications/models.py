"""In-app inbox and the SMS outbox (SPEC §1.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .inbox import InboxQuerySet


class InboxMessage(models.Model):
    """A message in a user's in-app inbox (站内信)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = InboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内信")
        verbose_name_plural = _("站内信")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"站内信：{self.title}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class SMSMessage(models.Model):
    """One SMS (短信提醒). With the default backend this table is the delivery: administrators
    read it in the UI; a provider backend sends for real and records the outcome here."""

    scope_org_field = "org"
    scope_owner_field = "recipient"

    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收人"),
    )
    phone = models.CharField(_("手机号"), max_length=11)
    text = models.CharField(_("内容"), max_length=500)
    status = models.CharField(_("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信发件箱")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        masked = f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone) == 11 else self.phone
        return f"发往{masked}的短信（{self.get_status_display()}）"
