"""Guardians (家长), their links to children, and parents' requests to bind a child.

A guardian is one person, identified by the phone (keyed hash): one phone may be the guardian
of several children in several schools. A guardian belongs to no school itself; a school sees
it through its children (the scope runs through the guardianships), so two schools share the
person but each sees only its own children's links.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet

from .. import identity
from .students import Student


class GuardianQuerySet(ScopedQuerySet):
    def visible_to(self, user, perm: str):
        # The scope path crosses a to-many relation (guardian → its children), so the join
        # repeats a guardian once per visible child: select the visible ids instead.
        inner = super().visible_to(user, perm)
        return self.filter(pk__in=inner.values("pk"))


class Guardian(models.Model):
    """A parent or guardian (家长), one per phone, linked to one or more children."""

    scope_org_field = ("guardianships__student__school", "guardianships__student__klass")
    scope_owner_field = "user"

    name = models.CharField(_("姓名"), max_length=50)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True, editable=False)
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name=_("账号"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now(), db_index=True)

    objects = models.Manager.from_queryset(GuardianQuerySet)()

    class Meta:
        verbose_name = _("家长")
        verbose_name_plural = _("家长")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~models.Q(phone_hash=""), name="guardian_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, plain: str) -> None:
        self.phone_sealed = identity.seal(plain)
        self.phone_hash = identity.lookup_hash(plain)
        self.phone_masked = identity.mask_mobile(plain)

    @property
    def phone(self) -> str:
        """The clear phone number, for sending messages only (never for display)."""
        return identity.unseal(self.phone_sealed)


class Guardianship(models.Model):
    """Guardian ↔ child, with the relation (父亲, 母亲 …); belongs to the child's school and class."""

    scope_org_field = ("student__school", "student__klass")
    scope_owner_field = "guardian__user"

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(_("关系"), max_length=10, default="家长")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now(), db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("监护关系")
        verbose_name_plural = _("监护关系")
        constraints = [models.UniqueConstraint(fields=["guardian", "student"], name="guardianship_unique")]

    def __str__(self) -> str:
        return f"{self.student}的{self.relation}{self.guardian}"


RELATIONS = ("父亲", "母亲", "祖父", "祖母", "外公", "外婆", "其他监护人")


class BindingStatus(models.TextChoices):
    PENDING = "pending", _("待学校确认")
    BOUND = "bound", _("已绑定")
    REFUSED = "refused", _("未通过")


class BindingRequest(models.Model):
    """A parent's request to bind a child (绑定孩子): bound at once when the parent's phone is an
    imported guardian of the child, otherwise waiting for the class teacher or 教务 to confirm."""

    scope_org_field = ("student__school", "student__klass")
    scope_owner_field = "user"

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="binding_requests", verbose_name=_("家长账号")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="binding_requests", verbose_name=_("孩子")
    )
    parent_name = models.CharField(_("家长姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=10)
    status = models.CharField(_("状态"), max_length=10, choices=BindingStatus.choices, default=BindingStatus.PENDING)
    reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("处理人")
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("绑定申请")
        verbose_name_plural = _("绑定申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "student"], condition=models.Q(status="pending"), name="binding_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "student"], name="binding_status_student_idx")]

    def __str__(self) -> str:
        return f"{self.parent_name} → {self.student}"

    @property
    def masked_phone(self) -> str:
        return identity.mask_mobile(self.user.phone) if self.user.phone else ""


class BindingAttempt(models.Model):
    """One failed try to bind a child (no child with that number and name): what the platform's rate
    limiter counts for a parent's tries (guardianship.BINDING_MISSES), so the limit holds across
    processes."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("绑定失败记录")
        verbose_name_plural = _("绑定失败记录")
        indexes = [models.Index(fields=["user", "at"], name="binding_attempt_user_at")]

    def __str__(self) -> str:
        return f"{self.user}绑定孩子未成功的一次尝试"
