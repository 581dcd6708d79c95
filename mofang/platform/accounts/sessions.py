"""The session engine with Redis (settings.SESSION_ENGINE when REDIS_URL is set): Django's
cached_db — every session written to the database and to the cache, read from the cache and from
the database on a miss — with the cache's copy kept at most SESSION_CACHE_SECONDS.

Why cached_db and not the cache alone or signed cookies: losing Redis (a restart, an outage) must
sign nobody out and lose no session, and a session signed out must stay signed out. With the copy
in Redis bounded to five minutes, a session deleted while Redis was unreachable (its delete could
not reach Redis) can come back for at most those five minutes; a signed-in request costs one
database read of its session every five minutes instead of one per request.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

from .middleware import IDLE_REFRESH_SECONDS

SESSION_CACHE_SECONDS = IDLE_REFRESH_SECONDS
logger = logging.getLogger("django.contrib.sessions")


class SessionStore(CachedDBStore):
    cache_key_prefix = "mofang.sessions:"

    def load(self):
        data = self._cache.get(self.cache_key)  # None while Redis is down (IGNORE_EXCEPTIONS)
        if data is None:
            s = self._get_session_from_db()
            data = self.decode(s.session_data) if s else {}
            if s:
                self._cache.set(self.cache_key, data, self._cache_seconds(s.expire_date))
        return data

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)

    def _cache_seconds(self, expiry=None) -> int:
        age = self.get_expiry_age(expiry=expiry) if expiry is not None else self.get_expiry_age()
        return min(age, SESSION_CACHE_SECONDS)
