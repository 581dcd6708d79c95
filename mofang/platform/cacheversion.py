"""Versioned cache keys, for entries that many requests read and a change makes stale: they are
cached under the current value of a version key, and a change raises it — at once (the request
that made the change sees it) and again on commit (no request that read the old rows before the
commit can cache them under the new version). Nothing is deleted: old entries simply expire.

Entries can also be kept in the process (`get_many`, `put`): by their versioned key (or a key
that names its content, which can never be stale), for at most their cache time. The version is
still read from the shared cache by every request, so a change is seen exactly as without the copy;
what is saved is fetching and unpickling the same entries again.

A request reads each version once: the first read is kept for the rest of the request (a 报名 POST
asked for the enrollment version three times, one cache round trip each), and a bump made by the
request itself drops it, so the request still sees its own change. Another request's bump is
seen from the next request on, as before — a request's entries are then all of one version.

Used by the enrollment public pages and 报名 option lists, and by the after-school catalogue (which
keeps its entries in the process too, as the 报名 form keeps its rendered rows)."""

import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

# The versions this thread's request has read: a dict while a request runs, None outside one (a
# task or a command reads the cache every time).
_request = threading.local()


def _start(**kwargs) -> None:
    _request.versions = {}


def _finish(**kwargs) -> None:
    _request.versions = None


request_started.connect(_start, dispatch_uid="cacheversion-start")
request_finished.connect(_finish, dispatch_uid="cacheversion-finish")


def version(key: str) -> int:
    """The current version under `key` (started when unset or evicted), read once per request."""
    seen = getattr(_request, "versions", None)
    if seen is not None and key in seen:
        return seen[key]
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), None)
        value = cache.get(key)
    if seen is not None:
        seen[key] = value
    return value


def bump(key: str) -> None:
    """Raise the version under `key`, now and again on commit."""
    _raise(key)
    transaction.on_commit(lambda: _raise(key))


def _fresh() -> int:
    # after an eviction (or a cleared cache), a new start that no key in use can carry: in
    # nanoseconds, so the bumps since the last start can never reach it (a process may still hold
    # entries of the old numbers in its copy)
    return time.time_ns()


def _raise(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # evicted or never set
        cache.set(key, _fresh(), None)
    seen = getattr(_request, "versions", None)
    if seen is not None:
        # this request sees its own change: read again, not taken from incr's answer (django-redis
        # increments in a Lua script, whose numbers are doubles: beyond 2**53 its answer is rounded,
        # while the stored value is exact)
        seen.pop(key, None)


# This process's copy: versioned (or content-named) key → (expires, value). Bounded; entries of an old version are
# never asked for again and go when it fills.
_local: dict[str, tuple[float, object]] = {}
LOCAL_MAX = 4096


def get_many(keys: list[str], seconds: int) -> dict:
    """The entries under `keys` (versioned or content-named keys) held: from this process's copy,
    else from the shared cache (then copied here for `seconds`)."""
    now = time.monotonic()
    found = {}
    for k in keys:
        held = _local.get(k)
        if held is not None and held[0] > now:
            found[k] = held[1]
    missing = [k for k in keys if k not in found]
    if missing:
        fetched = cache.get_many(missing)
        for k, v in fetched.items():
            _remember(k, v, seconds)
        found.update(fetched)
    return found


def put(key: str, value, seconds: int) -> None:
    """Cache `value` under the versioned `key`, shared and in this process, for `seconds`."""
    cache.set(key, value, seconds)
    _remember(key, value, seconds)


def _remember(key: str, value, seconds: int) -> None:
    if len(_local) >= LOCAL_MAX:
        _local.clear()
    _local[key] = (time.monotonic() + seconds, value)
