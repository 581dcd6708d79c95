"""Users, roles and memberships: who may see and do what, and where in the org tree."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.orgs.models import OrgUnit

from .access import MembershipQuerySet, cached_memberships, load_memberships, new_version
from .scope import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    """The rules of the account managers' to-dos, shared with the account list's status filter."""

    def locked_out(self):
        """待解锁: active accounts locked out by failed logins and not unlocked since."""
        return self.filter(is_active=True, locked_at__isnull=False)

    def never_used(self):
        """已开通但从未登录: active accounts whose owner has never logged in (the initial password unchanged)."""
        return self.filter(is_active=True, last_login__isnull=True, must_change_password=True)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # stubs: generic base
    pass


class User(AbstractUser):
    """A login. What it may see comes only from its memberships, never from is_staff flags.

    Who may see (and manage) the account: whoever holds accounts.view_user on the org of one of its
    memberships, or on its home_org (管理单位) — the unit it was created under, so an account whose
    last membership was revoked stays with the administrators who made it.
    """

    scope_org_field = ("memberships__org", "home_org")

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True, db_index=True)
    home_org = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("管理单位")
    )
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    # set when django-axes locks the account out; cleared by a successful login or an unlock, so an
    # account that was locked and never came back stays on its administrator's to-do list
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    # raised in SQL whenever what the account may do changes (accounts.access): the key of its
    # memberships in the cache; never written back by save()
    access_version = models.BigIntegerField(_("权限版本"), default=new_version, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # A full save of a row loaded before a membership changed must not put the old access
        # version back (the cache would serve the old memberships under it).
        if (
            kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
            and not self._state.adding
            and self.pk is not None
        ):
            skip = {"access_version", *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skip
            ]
        super().save(*args, **kwargs)

    @property
    def requires_second_factor(self) -> bool:
        return any(m.role.second_factor for m in self.active_memberships())

    def active_memberships(self) -> list["Membership"]:
        cached = getattr(self, "_mofang_memberships", None)
        if cached is None:
            cached = cached_memberships(self, lambda: load_memberships(self))
            self._mofang_memberships = cached
        return cached


class Role(models.Model):
    """A named set of permissions (市级管理员, 校长, 教师, 银行专管员 …), synced from code."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    permissions = models.JSONField(_("权限"), default=list)
    second_factor = models.BooleanField(_("须二次验证"), default=False)
    rank = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user holds a role at an org unit; the grant covers that unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, verbose_name=_("角色"))
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("机构"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [models.UniqueConstraint(fields=["user", "role", "org"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.org} · {self.role}"


class PhoneCode(models.Model):
    """A one-time SMS code (短信验证码) sent to a phone: stored only as a keyed hash, valid for five
    minutes and for five wrong tries. How many a phone may ask for is the rate limiter's
    (accounts.ratelimit). `purpose` keeps the kinds apart (a parent's login code, a locked user's
    unlock code), so asking for one never voids the other; `phone_hash` is the keyed hash of what
    the code was asked for (the phone for a login, the username or phone typed for an unlock)."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("手机验证码登录")
        UNLOCK = "unlock", _("短信验证解锁")

    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices, default=Purpose.LOGIN)
    phone_hash = models.CharField(max_length=40)
    code_hash = models.CharField(max_length=40)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used = models.BooleanField(_("已使用或作废"), default=False)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone_hash", "created_at"], name="phonecode_phone_time")]

    def __str__(self) -> str:
        return f"短信验证码（{self.created_at:%Y-%m-%d %H:%M}）"


class RateLimitBucket(models.Model):
    """What the rate limiter (限流) remembers of one client under one limit: the times of its counted
    requests within the limit's longest window. The key is a keyed hash of the client address,
    phone, browser session or account, never the value itself. The row is also the lock under
    which that client's requests are counted, so the limit holds across every web process."""

    limit = models.CharField(_("限流规则"), max_length=60)
    key = models.CharField(_("对象摘要"), max_length=64)
    hits = models.JSONField(_("计数时间"), default=list)
    updated_at = models.DateTimeField(_("最后计数时间"), null=True, db_index=True)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")
        constraints = [models.UniqueConstraint(fields=["limit", "key"], name="ratelimit_bucket_unique")]

    def __str__(self) -> str:
        return f"{self.limit}（{len(self.hits)}次）"
