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
    # what the administrator making a key must hold at its org unit to give it this kind (a key gets
    # no right its maker lacks): by default every permission the kind gives; a kind whose writes
    # bureaus supervise but schools enter (体测, 视力: the school imports) names the supervising ones
    maker_needs: tuple[str, ...] = ()

    @property
    def role_code(self) -> str:
        return f"api_{self.code}"

    @property
    def maker_permissions(self) -> tuple[str, ...]:
        return self.maker_needs or self.permissions


WRITE_KINDS: dict[str, WriteKind] = {}


def register_write_kind(code: str, label: str, *permissions: str, maker_needs: tuple[str, ...] = ()) -> WriteKind:
    from mofang.platform.accounts.registry import grant, register_role

    kind = WriteKind(code, label, tuple(permissions), tuple(maker_needs))
    if code not in WRITE_KINDS:
        WRITE_KINDS[code] = kind
        register_role(kind.role_code, f"接口：{label}"[:32], rank=200, service=True)
        grant(kind.role_code, *permissions)
    return WRITE_KINDS[code]
