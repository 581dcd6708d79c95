"""Permissions and roles are declared in code by the core and by modules (AppConfig.ready()).

A permission is a string "app.action"; a role grants it either on the whole subtree of the
membership's org unit, or — written "app.action@own" — only on records the user owns.
"""

from dataclasses import dataclass, field

PERMISSIONS: dict[str, str] = {}


@dataclass
class RoleSpec:
    code: str
    name: str
    permissions: set[str] = field(default_factory=set)
    second_factor: bool = False  # TOTP required (province/city administrators)
    rank: int = 100  # display order, lower first
    service: bool = False  # held only by service accounts (an API key's): never offered to a person


ROLES: dict[str, RoleSpec] = {}
# Grants to a role no app has declared yet (a module granting its permissions to another module's
# role, e.g. the cockpit to 督学): applied when the role is registered, whatever the app order.
PENDING_GRANTS: dict[str, set[str]] = {}


def register_permissions(mapping: dict[str, str]) -> None:
    PERMISSIONS.update(mapping)


def register_role(
    code: str, name: str, *, second_factor: bool = False, rank: int = 100, service: bool = False
) -> RoleSpec:
    spec = ROLES.setdefault(code, RoleSpec(code, name, service=service))
    # a second registration (a module renaming a core role) can never drop a compulsory TOTP
    spec.name, spec.second_factor, spec.rank = name, spec.second_factor or second_factor, rank
    spec.permissions.update(PENDING_GRANTS.pop(code, set()))
    return spec


def grant(role_code: str, *permissions: str) -> None:
    """Give a role more permissions (modules call this for the core roles and for each other's).
    A role not registered yet keeps the grant pending until it is (see `unregistered_grants`)."""
    for perm in permissions:
        base = perm.split("@", 1)[0]
        if base not in PERMISSIONS:
            raise KeyError(f"unknown permission {base!r}: register it first")
    if role_code in ROLES:
        ROLES[role_code].permissions.update(permissions)
    else:
        PENDING_GRANTS.setdefault(role_code, set()).update(permissions)


def service_roles() -> set[str]:
    """The roles only service accounts hold (an API key's `api_<kind>`): the grant form hides them."""
    return {code for code, spec in ROLES.items() if spec.service}


def unregistered_grants() -> dict[str, set[str]]:
    """Grants to roles that no installed app declares: a typo, or a module that is not installed."""
    return {code: set(perms) for code, perms in PENDING_GRANTS.items()}


# --- who may grant which role, where (账号与权限管理) -------------------------------------------
# A holder of `granter` (with accounts.change_user) may grant each role of `roles`, but only at an
# org unit of one of `org_kinds` inside the granter's own subtree. Modules declare rules for their
# own roles next to register_role (e.g. 入学早知道's 公证员: allow_grant("county_admin", "notary",
# at=("county",))). A role nobody may grant (家长: created by the phone login; 省级管理员: by the
# `createsuperuser`/shell operator) simply has no rule.


@dataclass(frozen=True)
class GrantRule:
    granter: str
    role: str
    org_kinds: frozenset[str]


GRANT_RULES: dict[tuple[str, str], GrantRule] = {}


def allow_grant(granter: str, *roles: str, at: tuple[str, ...]) -> None:
    """Let holders of role `granter` grant `roles` at org units of the kinds `at`."""
    for code in (granter, *roles):
        if code not in ROLES:
            raise KeyError(f"unknown role {code!r}: register it first")
    for role in roles:
        old = GRANT_RULES.get((granter, role))
        kinds = frozenset(at) | (old.org_kinds if old else frozenset())
        GRANT_RULES[(granter, role)] = GrantRule(granter, role, kinds)


def grant_rule(granter: str, role: str) -> GrantRule | None:
    return GRANT_RULES.get((granter, role))


def grantable_roles(granter: str) -> list[str]:
    """The role codes a holder of `granter` may grant somewhere, in display order."""
    codes = [r for (g, r) in GRANT_RULES if g == granter]
    return sorted(codes, key=lambda c: (ROLES[c].rank, c))
