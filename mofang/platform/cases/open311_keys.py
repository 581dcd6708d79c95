"""Which systems may file requests on the Open311 endpoint (GeoReport v2 passes `api_key` with
each POST): a minimal key check until the platform's per-system API keys take it over.

Keys come from the setting (or environment variable) MOFANG_OPEN311_API_KEYS: a dict
{key: system name}, or a string "系统名称:密钥,系统名称:密钥". A module (or the platform's
API-key model, later) may also register a checker, key -> system name or None; checkers are asked
first. Keys are compared in constant time; the system's name — never the key — is kept with the
case it files (data["source_system"]).
"""

import hmac
import os
from collections.abc import Callable

from django.conf import settings

SETTING = "MOFANG_OPEN311_API_KEYS"
_CHECKERS: list[Callable[[str], str | None]] = []


def register_key_checker(checker: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """Add a checker: api_key -> the calling system's name, or None if it does not know the key."""
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)
    return checker


def unregister_key_checker(checker) -> None:
    if checker in _CHECKERS:
        _CHECKERS.remove(checker)


def configured_keys() -> dict[str, str]:
    """{key: system name} from the setting or the environment; empty keys are ignored."""
    raw = getattr(settings, SETTING, None)
    if raw is None:
        raw = os.environ.get(SETTING, "")
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items() if str(k).strip()}
    keys = {}
    for entry in str(raw).split(","):
        name, sep, key = entry.strip().partition(":")
        if sep and key.strip():
            keys[key.strip()] = name.strip() or "外部系统"
    return keys


def system_for(api_key: str | None) -> str | None:
    """The name of the system holding `api_key`, or None (no key, or one nobody issued)."""
    key = (api_key or "").strip()
    if not key or len(key) > 200:
        return None
    for checker in _CHECKERS:
        name = checker(key)
        if name:
            return name
    found = None
    for known, name in configured_keys().items():
        if hmac.compare_digest(known.encode(), key.encode()):
            found = name
    return found
