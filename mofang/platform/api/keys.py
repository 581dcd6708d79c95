"""The API keys' service functions: create (the secret returned once), revoke, authenticate.

Each key has its own service account (用户名 `api-<prefix>`, no usable password, so it cannot log in
to the pages) holding, at the key's org unit, the role of each record kind it may write
(registry.WRITE_KINDS). Its display name is 「接口：<system>」, so every audit row written by a service
function on the key's behalf names the system as its actor."""

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.accounts.ratelimit import Limit, Rate
from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record

from .models import ApiKey
from .registry import WRITE_KINDS
from .roles import MANAGE_KEY

SCHEME = "Api-Key"
# every key's requests, counted in the database across processes (accounts.ratelimit)
KEY_LIMIT = Limit(
    "api.key",
    (
        Rate(60, 60, "接口请求过于频繁：每个密钥每分钟最多 60 次，请稍后再试"),
        Rate(2000, 3600, "接口请求过于频繁：每个密钥每小时最多 2000 次，请稍后再试"),
    ),
)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(*, acting_user, name: str, org, kinds: list[str]) -> tuple[ApiKey, str]:
    """A new key for system `name`, writing `kinds` in `org`'s subtree. Returns the key and its full
    secret (`<prefix>.<secret>`), which is never stored nor shown again."""
    if not has_perm_at(acting_user, MANAGE_KEY, org):
        raise PermissionDenied("您无权在该机构下新建接口密钥")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": gettext("请填写系统名称")})
    if len(name) > 60:
        raise ValidationError({"name": gettext("系统名称不能超过 60 个字")})
    kinds = sorted(set(kinds or []))
    if not kinds or any(k not in WRITE_KINDS for k in kinds):
        raise ValidationError({"kinds": gettext("请至少选择一类可写数据")})
    # a key is given no right its maker lacks there (WriteKind.maker_permissions, held at `org`)
    lacking = [k for k in kinds if not all(has_perm_at(acting_user, p, org) for p in WRITE_KINDS[k].maker_permissions)]
    if lacking:
        raise ValidationError(
            {
                "kinds": gettext("您本人在{org}没有「{kinds}」的权限，不能把它授予接口密钥").format(
                    org=org.name, kinds="、".join(WRITE_KINDS[k].label for k in lacking)
                )
            }
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        account = User.objects.create_user(username=f"api-{prefix}", full_name=f"接口：{name}"[:50], home_org=org)
        account.set_unusable_password()
        account.save(update_fields=["password"])
        for kind in kinds:
            Membership.objects.create(user=account, role=Role.objects.get(code=WRITE_KINDS[kind].role_code), org=org)
        key = ApiKey.objects.create(
            name=name,
            org=org,
            kinds=kinds,
            prefix=prefix,
            secret_hash=_hash(secret),
            account=account,
            created_by=acting_user,
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"新建接口密钥：{key}，范围 {org.name}，可写 {'、'.join(kinds)}",
            obj=key,
            after={"name": name, "org": org.pk, "kinds": kinds, "prefix": prefix},
        )
    return key, f"{prefix}.{secret}"


def revoke_key(key: ApiKey, *, acting_user) -> None:
    """吊销: the key answers 401 from now on; its service account is deactivated."""
    if not has_perm_at(acting_user, MANAGE_KEY, key.org):
        raise PermissionDenied("您无权吊销该接口密钥")
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            raise ValidationError({"key": gettext("该密钥已吊销")})
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        User.objects.filter(pk=key.account_id).update(is_active=False)
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"吊销接口密钥：{key}",
            obj=key,
            before={"revoked_at": None},
            after={"revoked_at": key.revoked_at.isoformat()},
        )


def key_for(raw: str) -> ApiKey | None:
    """The active key whose secret is `raw` (`<prefix>.<secret>`), or None."""
    prefix, _, secret = (raw or "").strip().partition(".")
    if not prefix or not secret or len(prefix) > 12:
        return None
    key = ApiKey.objects.select_related("account", "org").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    if key.revoked_at is not None or not key.account.is_active:
        return None
    return key


def note_use(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
