"""Account services: the user's own second-factor device, and account management (账号与权限管理).

Every change is a named function taking acting_user=, run in one transaction, checked against the
grant table (policy.py) and audit-logged with before/after snapshots. A refusal raises
policy.Refusal (nothing written); bad input raises ValidationError naming the field.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import send_sms
from mofang.platform.people import identity

from .models import Membership, Role, User
from .passwords import one_time_password
from .policy import Refusal, check_account, check_grant, check_revoke

ACCOUNT_FIELDS = [
    "username",
    "full_name",
    "phone",
    "email",
    "is_active",
    "must_change_password",
    "locked_at",
    "home_org",
]
SHOW, SMS = "show", "sms"


def totp_device_for(user) -> tuple[TOTPDevice, bool]:
    """The user's TOTP device, created unconfirmed on first use; returns (device, enrolling)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
    return device, not device.confirmed


def verify_totp(device: TOTPDevice, token: str, *, acting_user) -> None:
    """Check a TOTP code of the user's own device; the first right code confirms the device — the
    authenticator's enrolment (绑定动态口令), audited. Raises ValidationError in Chinese."""
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(gettext("验证尝试过于频繁，请稍候几秒再试"), code="throttled")
    if not device.verify_token(token):
        raise ValidationError(gettext("动态验证码错误或已过期，请重新输入"), code="wrong")
    if not device.confirmed:
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=acting_user,
                org=account_org(acting_user),
                summary=f"{acting_user.username} 绑定了动态口令（二次验证）",
                after={"totp": "已绑定"},
            )


def record_login(user: User, *, how: str = "") -> None:
    """The audit row of a login (登录), at the org of the user's first active membership."""
    memberships = user.active_memberships()
    record(
        actor=user,
        action=AuditAction.LOGIN,
        summary=f"{user} {how}登录",
        org=memberships[0].org if memberships else None,
    )


# --- snapshots and helpers ------------------------------------------------------------------------


def account_snapshot(user: User) -> dict:
    out = snapshot(user, ACCOUNT_FIELDS)
    out["memberships"] = sorted(f"{m.org.name}·{m.role.name}" for m in user.memberships.select_related("org", "role"))
    return out


def account_org(user: User):
    """The org an account's audit rows belong to (so they are scoped like the account)."""
    if user.home_org_id:
        return user.home_org
    first = user.memberships.select_related("org").order_by("org__path").first()
    return first.org if first else None


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": gettext("请填写用户名")})
    field = User._meta.get_field("username")
    try:
        for v in field.validators:
            v(username)
    except ValidationError:
        raise ValidationError({"username": gettext("用户名只能包含字母、数字和 @ . + - _，不超过150个字符")}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": gettext("用户名“{username}”已被使用").format(username=username)})
    return username


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return identity.validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


def _deliver_password(user: User, password: str, delivery: str, org, why: str) -> None:
    if delivery == SMS:
        if not user.phone:
            raise ValidationError({"delivery": gettext("该账号没有登记手机号，不能用短信发送密码")})
        send_sms(
            phone=user.phone,
            org=org,
            recipient=user,
            text=f"【教育魔方】{why}，用户名{user.username}，临时密码{password}，首次登录后须修改密码。",
        )
    elif delivery != SHOW:
        raise ValidationError({"delivery": gettext("请选择密码交付方式")})


def _reset_lockout(user: User) -> int:
    from axes.utils import reset

    return reset(username=user.username)


# --- account management ---------------------------------------------------------------------------


def create_account(
    *,
    acting_user,
    username: str,
    full_name: str,
    phone: str,
    role_code: str,
    org,
    staff=None,
    delivery: str = SHOW,
    email: str = "",
) -> tuple[User, str]:
    """A new account with its first membership and a one-time password (must change at login).

    With `staff` (a Staff record the actor may see and that has no account yet) the name, phone and
    工号 come from the record and the record is linked to the account.
    """
    check_grant(acting_user, None, role_code, org)
    if staff is not None:
        if staff.user_id is not None:
            raise ValidationError(
                {
                    "staff_no": gettext("教职工{name}（{staff_no}）已有账号").format(
                        name=staff.name, staff_no=staff.staff_no
                    )
                }
            )
        full_name, phone = staff.name, staff.phone
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": gettext("请填写姓名")})
    password = one_time_password()
    with transaction.atomic():
        user = User(
            username=_clean_username(username),
            full_name=full_name[:50],
            phone=_clean_phone(phone),
            email=email or "",
            home_org=org,
            must_change_password=True,
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same username created at the same moment
            raise ValidationError(
                {"username": gettext("用户名“{username}”已被使用").format(username=username)}
            ) from None
        role = Role.objects.get(code=role_code)
        Membership.objects.create(user=user, role=role, org=org)
        if staff is not None:
            staff.user = user
            staff.save(update_fields=["user"])
        _deliver_password(user, password, delivery, org, "您的账号已开通")
        source = f"（来自教职工{staff.staff_no}）" if staff is not None else ""
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=user,
            org=org,
            summary=f"新建账号 {user.username}（{user.full_name}），授予{org.name}·{role.name}{source}",
            after=account_snapshot(user),
        )
    return user, password


def update_account(user: User, *, acting_user, full_name: str, phone: str, email: str = "") -> User:
    check_account(acting_user, user)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": gettext("请填写姓名")})
    phone = _clean_phone(phone)
    with transaction.atomic():
        before = account_snapshot(user)
        user.full_name, user.phone, user.email = full_name[:50], phone, email or ""
        user.save(update_fields=["full_name", "phone", "email"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=account_org(user),
            summary=f"修改账号 {user.username} 的资料",
            before=before,
            after=account_snapshot(user),
        )
    return user


def set_account_active(user: User, active: bool, *, acting_user) -> User:
    """停用 / 启用. A stopped account cannot log in and sees nothing; its memberships are kept."""
    check_account(acting_user, user)
    if user.is_active == active:
        raise Refusal(gettext("该账号已经是{state}状态").format(state="启用" if active else "停用"), 400)
    with transaction.atomic():
        before = account_snapshot(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=account_org(user),
            summary=f"{'启用' if active else '停用'}账号 {user.username}（{user.full_name}）",
            before=before,
            after=account_snapshot(user),
        )
    return user


def unlock_account(user: User, *, acting_user) -> int:
    """Clear the lock-out (django-axes attempts) so the user may try again at once."""
    check_account(acting_user, user)
    with transaction.atomic():
        before = account_snapshot(user)
        removed = _reset_lockout(user)
        user.locked_at = None
        user.save(update_fields=["locked_at"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=account_org(user),
            summary=f"解锁账号 {user.username}（{user.full_name}），清除{removed}条登录失败记录",
            before=before,
            after=account_snapshot(user),
        )
    return removed


def reset_password(user: User, *, acting_user, delivery: str = SHOW) -> str:
    """A new one-time password, shown once to the administrator or sent by SMS; the user must
    change it at the next login. The lock-out is cleared too (a forgotten password is why)."""
    check_account(acting_user, user)
    password = one_time_password()
    with transaction.atomic():
        before = account_snapshot(user)
        user.set_password(password)
        user.must_change_password = True
        user.locked_at = None
        user.save(update_fields=["password", "must_change_password", "locked_at"])
        _reset_lockout(user)
        _deliver_password(user, password, delivery, account_org(user), "您的密码已重置")
        how = "短信发送" if delivery == SMS else "当面告知"
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=account_org(user),
            summary=f"重置账号 {user.username} 的密码（临时密码{how}，下次登录须修改）",
            before=before,
            after=account_snapshot(user),
        )
    return password


def grant_membership(user: User, *, acting_user, role_code: str, org) -> Membership:
    check_grant(acting_user, user, role_code, org)
    role = Role.objects.get(code=role_code)
    with transaction.atomic():
        before = account_snapshot(user)
        if Membership.objects.filter(user=user, role=role, org=org).exists():
            raise Refusal(gettext("该账号已在{name}担任{name2}").format(name=org.name, name2=role.name), 400)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, role=role, org=org)
        except IntegrityError:
            raise Refusal(gettext("该账号已在{name}担任{name2}").format(name=org.name, name2=role.name), 400) from None
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=org,
            summary=f"授予账号 {user.username}（{user.full_name}）{org.name}·{role.name}",
            before=before,
            after=account_snapshot(user),
        )
    return membership


def revoke_membership(membership: Membership, *, acting_user) -> None:
    check_revoke(acting_user, membership)
    user = membership.user
    with transaction.atomic():
        before = account_snapshot(user)
        if user.home_org_id is None:  # keep the account with the unit it was managed from
            user.home_org = membership.org
            user.save(update_fields=["home_org"])
        label = f"{membership.org.name}·{membership.role.name}"
        org = membership.org
        membership.delete()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=org,
            summary=f"撤销账号 {user.username}（{user.full_name}）的任职 {label}",
            before=before,
            after=account_snapshot(user),
        )


def change_own_password(user: User, new_password: str, *, acting_user) -> None:
    """The user's own change (the 修改密码 page and the forced change after a reset)."""
    if acting_user.pk != user.pk:
        raise Refusal(gettext("只能修改自己的密码"))
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        before = account_snapshot(user)
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            org=account_org(user),
            summary=f"{user.username} 修改了自己的密码",
            before=before,
            after=account_snapshot(user),
        )


# --- lock-out bookkeeping (django-axes signals) -----------------------------------------------------


def lock_state(user: User, *, now=None) -> str:
    """ "locked" while django-axes refuses the account, "was_locked" when the lock expired but the
    user has not logged in since, "" otherwise."""
    from axes.models import AccessAttempt

    now = now or timezone.now()
    cooloff = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    if AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=now - cooloff
    ).exists():
        return "locked"
    return "was_locked" if user.locked_at else ""


def note_locked_out(sender, request=None, username=None, **kwargs):
    """axes.signals.user_locked_out: remember the lock on the account and audit it."""
    if not username:
        return
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(locked_at=timezone.now())
        record(
            actor=None,
            action=AuditAction.ACTION,
            obj=user,
            org=account_org(user),
            summary=f"账号 {user.username} 连续{settings.AXES_FAILURE_LIMIT}次密码错误，已被锁定",
        )


def clear_lock_on_login(sender, request=None, user=None, **kwargs):
    if user is not None and getattr(user, "locked_at", None) is not None:
        User.objects.filter(pk=user.pk).update(locked_at=None)
        user.locked_at = None
