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


ROLES: dict[str, RoleSpec] = {}


def register_permissions(mapping: dict[str, str]) -> None:
    PERMISSIONS.update(mapping)


def register_role(code: str, name: str, *, second_factor: bool = False, rank: int = 100) -> RoleSpec:
    spec = ROLES.setdefault(code, RoleSpec(code, name))
    spec.name, spec.second_factor, spec.rank = name, second_factor, rank
    return spec


def grant(role_code: str, *permissions: str) -> None:
    """Give a registered role more permissions (modules call this for the core roles)."""
    for perm in permissions:
        base = perm.split("@", 1)[0]
        if base not in PERMISSIONS:
            raise KeyError(f"unknown permission {base!r}: register it first")
    ROLES[role_code].permissions.update(permissions)
