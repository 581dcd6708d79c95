"""Versioned cache keys, for entries that many requests read and a change makes stale: they are
cached under the current value of a version key, and a change raises it — at once (the request
that made the change sees it) and again on commit (no request that read the old rows before the
commit can cache them under the new version). Nothing is deleted: old entries simply expire.

Used by the enrollment public pages and 报名 option lists, and by the after-school catalogue."""

import time

from django.core.cache import cache
from django.db import transaction


def version(key: str) -> int:
    """The current version under `key` (started when unset or evicted)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), None)
        value = cache.get(key)
    return value


def bump(key: str) -> None:
    """Raise the version under `key`, now and again on commit."""
    _raise(key)
    transaction.on_commit(lambda: _raise(key))


def _fresh() -> int:
    # after an eviction (or a cleared cache), a new start that no key in use can carry: in
    # nanoseconds, so the bumps since the last start can never reach it (a process may still hold
    # entries of the old numbers: the after-school catalogue's own copy)
    return time.time_ns()


def _raise(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # evicted or never set
        cache.set(key, _fresh(), None)
