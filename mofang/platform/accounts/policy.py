"""Who may manage which account, and grant which role where (账号与权限管理).

The rules, each refused with a Chinese message naming the reason (HTTP 403 in the pages):
- an administrator grants only inside the subtrees where they hold accounts.change_user;
- only roles their own role may grant (registry.GRANT_RULES, declared in roles.py and by modules),
  and only at the kinds of unit the rule names (教师 at a school, 班主任 at a class …);
- nobody changes their own memberships or their own account through these pages;
- an account is managed (edited, stopped, unlocked, its password reset) only by someone who could
  have granted every one of its memberships: a county cannot take over a city administrator who
  also happens to teach in the county.
Revoking a membership needs the same right as granting it.
"""

from django.utils.translation import gettext

from mofang.platform.orgs.models import OrgKind

from .registry import ROLES, grant_rule
from .scope import has_perm

MANAGE = "accounts.change_user"
VIEW = "accounts.view_user"


class Refusal(Exception):
    """A rule refuses the action; `status` is the HTTP status the page answers with."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


def _managing(actor) -> list:
    return [m for m in actor.active_memberships() if MANAGE in m.role.permissions]


def grant_refusal(actor, role_code: str, org) -> str | None:
    """Why `actor` may not grant `role_code` at `org` (None when allowed)."""
    spec = ROLES.get(role_code)
    if spec is None:
        return "角色不存在"
    managing = _managing(actor) if actor.is_active else []
    if not managing:
        return "您没有管理账号的权限"
    inside = [m for m in managing if org.path.startswith(m.org.path)]
    if not inside:
        yours = "、".join(dict.fromkeys(m.org.name for m in managing))
        return f"「{org.name}」不在您的管理范围内（您管理：{yours}），不能在那里授予角色"
    rules = [grant_rule(m.role.code, role_code) for m in inside]
    if not any(rules):
        yours = "、".join(dict.fromkeys(m.role.name for m in inside))
        return f"您的角色（{yours}）不能授予「{spec.name}」角色"
    if not any(r and org.kind in r.org_kinds for r in rules):
        kinds = sorted({k for r in rules if r for k in r.org_kinds})
        where = "、".join(str(OrgKind(k).label) for k in kinds)
        return f"「{spec.name}」角色只能授予在{where}，「{org.name}」是{OrgKind(org.kind).label}"
    return None


def can_grant(actor, role_code: str, org) -> bool:
    return grant_refusal(actor, role_code, org) is None


def check_grant(actor, target, role_code: str, org) -> None:
    if target is not None and target.pk == actor.pk:
        raise Refusal(gettext("不能修改自己的任职，请由上级管理员办理"))
    why = grant_refusal(actor, role_code, org)
    if why is not None:
        raise Refusal(why, 400 if why == "角色不存在" else 403)


def check_revoke(actor, membership) -> None:
    if membership.user_id == actor.pk:
        raise Refusal(gettext("不能撤销自己的任职，请由上级管理员办理"))
    why = grant_refusal(actor, membership.role.code, membership.org)
    if why is not None:
        raise Refusal(
            gettext("不能撤销「{name} · {name2}」：{why}").format(
                name=membership.org.name, name2=membership.role.name, why=why
            )
        )


def account_refusal(actor, target) -> str | None:
    """Why `actor` may not manage the account `target` as a whole (None when allowed)."""
    if target.pk == actor.pk:
        return "不能在账号管理中修改自己的账号；修改自己的密码请使用“修改密码”"
    if target.is_superuser:
        return "系统超级管理员账号不能在此管理"
    if hasattr(target, "api_key"):  # a key's service account: no password, no login, no grants by hand
        return "该账号是接口密钥的服务账号，请在“接口密钥”页面管理（可吊销）"
    if not has_perm(actor, MANAGE):
        return "您没有管理账号的权限"
    for m in target.memberships.select_related("role", "org"):
        if not can_grant(actor, m.role.code, m.org):
            return f"该账号在您管理范围以外还有任职（{m.org.name} · {m.role.name}），请由上级管理员办理"
    return None


def check_account(actor, target) -> None:
    why = account_refusal(actor, target)
    if why is not None:
        raise Refusal(why)
