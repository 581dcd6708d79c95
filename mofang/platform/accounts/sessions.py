"""The session engine with Redis (settings.SESSION_ENGINE when REDIS_URL is set): Django's
cached_db — every session written to the database and to the cache, read from the cache, and from
the database on a miss — with one addition that makes a signed-out session stay signed out.

Why cached_db and not the cache alone or signed cookies: losing Redis (a restart, an outage) must
sign nobody out and lose no session, and a session signed out must stay signed out.

The addition: the cache's copy carries the account's `access_version` when it was written. The user
row is read from the database on every signed-in request anyway; when its version is no longer the
copy's, the session is read again from the database (RequestUserMiddleware: gone there = signed
out). Signing out raises the account's version (accounts.access), so a sign-out whose delete could
not reach Redis — or any cached copy of the account's other sessions — is checked against the
database on its next use, and a session deleted there never comes back from Redis.
"""

import logging
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger("django.contrib.sessions")


def _version(data: dict):
    """The access version of the session's account now (one query; only on a write or a miss)."""
    from .models import User

    uid = data.get(SESSION_KEY)
    if not uid:
        return None
    try:
        return User.objects.filter(pk=uid).values_list("access_version", flat=True).first()
    except (ValueError, TypeError):
        return None


class SessionStore(CachedDBStore):
    cache_key_prefix = "mofang.sessions:"
    _cache: Any  # set by cached_db's __init__ (not in the stubs)
    # the access version the cache's copy was written with (None: read from the database)
    cached_version = None

    def load(self):
        got = self._cache.get(self.cache_key)  # None while Redis is down (IGNORE_EXCEPTIONS)
        if isinstance(got, dict) and "d" in got:
            self.cached_version = got.get("v")
            return got["d"]
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        self._put(data, self.get_expiry_age(expiry=s.expire_date))
        return data

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        self.cached_version = None
        self._put(self._session, self.get_expiry_age())

    def _put(self, data: dict, age: int) -> None:
        try:
            self._cache.set(self.cache_key, {"d": data, "v": _version(data)}, age)
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)

    def still_there(self) -> bool:
        """Read the session from the database again (its cached copy is of an older access
        version): False when it is gone there — signed out; else the cache's copy is renewed."""
        s = self._get_session_from_db()  # type: ignore[attr-defined]  # stubs: db.SessionStore's own
        if not s:
            self._cache.delete(self.cache_key)
            return False
        self._session_cache = self.decode(s.session_data)
        self.cached_version = None
        self._put(self._session_cache, self.get_expiry_age(expiry=s.expire_date))
        return True
