"""API routes declared by the core and modules (AppConfig.ready()), collected in one router; and the
record kinds another system may write with an API key (a module declares its own in its api.py,
which the API app imports at start-up — the core never names a module)."""

from dataclasses import dataclass

API_ROUTES: list[tuple[str, type, str]] = []  # (prefix, viewset, basename)


def register_api(prefix: str, viewset: type, basename: str) -> None:
    if any(p == prefix for p, _v, _b in API_ROUTES):
        return  # a module's api.py imported twice (autodiscovery and its own ready())
    API_ROUTES.append((prefix, viewset, basename))


@dataclass(frozen=True)
class WriteKind:
    """A kind of record a key may write: its key-page label and the permissions the key's service
    account needs for it (held through a role `api_<kind>` at the key's org unit)."""

    code: str
    label: str
    permissions: tuple[str, ...]

    @property
    def role_code(self) -> str:
        return f"api_{self.code}"


WRITE_KINDS: dict[str, WriteKind] = {}


def register_write_kind(code: str, label: str, *permissions: str) -> WriteKind:
    from mofang.platform.accounts.registry import grant, register_role

    kind = WriteKind(code, label, tuple(permissions))
    if code not in WRITE_KINDS:
        WRITE_KINDS[code] = kind
        register_role(kind.role_code, f"接口：{label}"[:32], rank=200)
        grant(kind.role_code, *permissions)
    return WRITE_KINDS[code]
