"""政令一键智达: a directive (通知/任务) sent by a bureau to the units its rule picked, one delivery
per unit (签收, 填报, 转发), the form to fill in, and the files attached to either."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedQuerySet, grants_for
from mofang.platform.orgs.models import OrgUnit


class DirectiveKind(models.TextChoices):
    NOTICE = "notice", _("通知")
    TASK = "task", _("任务")


class DirectiveQuerySet(ScopedQuerySet):
    def overdue_sent_by_units_of(self, user, now):
        """发出的政令中有单位逾期未办: sent by a unit where the user works (holds directives.view there)
        and with at least one target unit not done by the deadline — the rule of the sender's home
        to-do and of the 发出的政令 filter it opens, where 催办 is one click away."""
        own = {g.org_id for g in grants_for(user, "directives.view") if not g.own}
        return self.filter(sender_org_id__in=own, pk__in=Delivery.objects.overdue(now).values("directive_id"))


class Directive(models.Model):
    """A notice or task (政令) sent by one bureau (the sender org) to many units at once.

    A forwarded directive (转发) points at the delivery it re-sends, so the chain city → county →
    schools can be followed end to end.
    """

    scope_org_field = "sender_org"

    sender_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("发文单位"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发送人"),
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    kind = models.CharField(_("类别"), max_length=8, choices=DirectiveKind.choices, default=DirectiveKind.NOTICE)
    deadline = models.DateTimeField(_("截止时间"))
    forward_required = models.BooleanField(_("需转发至下级"), default=False)
    needs_answer = models.BooleanField(_("需填报回复"), default=False)
    locked = models.BooleanField(_("已锁定填报"), default=False)
    parent_delivery = models.ForeignKey(
        "Delivery", on_delete=models.PROTECT, null=True, blank=True, related_name="forwards", verbose_name=_("转发自")
    )
    rule = models.JSONField(_("发送规则"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now, db_index=True)
    # the compose form's one-time key: a double click on 一键发送 sends once
    submit_key = models.CharField(_("提交标识"), max_length=36, blank=True)

    objects = models.Manager.from_queryset(DirectiveQuerySet)()

    class Meta:
        verbose_name = _("政令")
        verbose_name_plural = _("政令")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submit_key"], condition=~models.Q(submit_key=""), name="directive_submit_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def done_rule(self) -> str:
        """What makes one unit's delivery done, in words."""
        if self.needs_answer:
            return "填报"
        if self.forward_required:
            return "转发"
        return "签收"


class FieldType(models.TextChoices):
    TEXT = "text", _("文本")
    NUMBER = "number", _("数字")
    CHOICE = "choice", _("选项")
    DATE = "date", _("日期")
    FILE = "file", _("文件")
    TABLE = "table", _("表格")


class FormField(models.Model):
    """One field of a directive's 填报 form; a table field is a repeating group of columns
    (`columns`: [{"label": …, "ftype": text|number|date}])."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("顺序"))
    key = models.CharField(_("字段键"), max_length=8)
    label = models.CharField(_("字段名"), max_length=50)
    ftype = models.CharField(_("类型"), max_length=8, choices=FieldType.choices)
    required = models.BooleanField(_("必填"), default=False)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    columns = models.JSONField(_("表格列"), default=list, blank=True)

    class Meta:
        verbose_name = _("填报字段")
        verbose_name_plural = _("填报字段")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["directive", "key"], name="directive_field_key")]

    def __str__(self) -> str:
        return self.label


class DeliveryQuerySet(ScopedQuerySet):
    """The rules of 收文, 待签收, 待办理, 未办结 and 逾期, shared by the lists, the to-dos and the cockpit."""

    def not_done(self):
        return self.filter(done_at__isnull=True)  # not yet 签收、填报或转发 as the directive asks

    def overdue(self, now):
        return self.not_done().filter(directive__deadline__lt=now)

    def unsigned(self):
        """待签收: not signed yet (a delivery is never done before it is signed)."""
        return self.filter(signed_at__isnull=True)

    def awaiting_action(self):
        """待办理: signed but not done — the answer (填报) or the forwarding (转发) is still owed."""
        return self.not_done().filter(signed_at__isnull=False)

    def to_units_of(self, user):
        """收文: addressed to a unit where the user works (holds directives.view_delivery there, not @own)."""
        return self.filter(unit_id__in={g.org_id for g in grants_for(user, "directives.view_delivery") if not g.own})


class Delivery(models.Model):
    """One target unit's copy of a directive: 签收, the answer (填报) and whether it was late (逾期),
    reminders sent, and when the unit forwarded it down (转发)."""

    scope_org_field = "unit"

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("政令")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收单位"))
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签收人"),
    )
    answered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    answer = models.JSONField(_("填报内容"), default=dict, blank=True)
    reply = models.TextField(_("回复"), blank=True)
    late = models.BooleanField(_("逾期"), default=False)
    forwarded_at = models.DateTimeField(_("转发时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("最近催办"), null=True, blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)

    objects = models.Manager.from_queryset(DeliveryQuerySet)()

    class Meta:
        verbose_name = _("政令送达")
        verbose_name_plural = _("政令送达")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["directive", "unit"], name="delivery_unique_unit")]

    def __str__(self) -> str:
        return f"{self.directive} → {self.unit}"

    def overdue(self, now=None) -> bool:
        """Not done by the deadline, or done after it (逾期)."""
        if self.done_at is not None:
            return self.late
        return (now or timezone.now()) > self.directive.deadline

    @property
    def status_label(self) -> str:
        if self.done_at is not None:
            word = {"填报": "已填报", "转发": "已转发", "签收": "已签收"}[self.directive.done_rule]
            return f"{word}（逾期）" if self.late else word
        if self.overdue():
            return "逾期未办" if self.signed_at else "逾期未签收"
        return "已签收" if self.signed_at else "未签收"


class Attachment(models.Model):
    """A file: the directive's own attachment (delivery empty) or a unit's answer to a file field."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    field_key = models.CharField(_("字段键"), max_length=8, blank=True)
    file = models.FileField(_("文件"), upload_to="directives/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("类型"), max_length=40)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政令附件")
        verbose_name_plural = _("政令附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
