"""Read-only pages read from a PostgreSQL read replica when one is configured (DATABASE_REPLICA_URL).

The decision is per request, made by `ReplicaMiddleware` and kept in a context variable that the
router (`ReplicaRouter`, in DATABASE_ROUTERS only when a replica is configured) reads:

- A request may read from the replica only if it is a GET or HEAD whose view is marked read-only:
  decorated with `@replica_ok`, or named by a pattern in settings.REPLICA_VIEWS (fnmatch on the
  URL's "namespace:name", e.g. "cockpit:*", "*_list").
- Everything else reads and writes the primary: POSTs, unmarked pages, the middleware before the
  view (session, user), background workers and commands (no request at all), and any query inside
  a transaction on the primary.
- Read-your-writes: the first write of a request (any model, any middleware: a session save counts)
  pins the rest of that request to the primary, and the response sets a short-lived cookie
  (REPLICA_PIN_SECONDS) that pins the same browser's next requests too, so the page a form redirects
  to shows what was just saved even while the replica lags behind.
"""

import contextvars
import fnmatch
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "mofang_primary"


@dataclass
class _RequestState:
    replica_ok: bool = False
    wrote: bool = False


_state: contextvars.ContextVar[_RequestState | None] = contextvars.ContextVar("mofang_db_request", default=None)


def replica_ok(view):
    """Mark a view read-only: on GET/HEAD it may read from the replica."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.replica_ok = True
    return wrapped


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _marked_read_only(request, view_func) -> bool:
    if getattr(view_func, "replica_ok", False) or getattr(getattr(view_func, "view_class", None), "replica_ok", False):
        return True
    match = request.resolver_match
    name = match.view_name if match else ""
    return bool(name) and any(fnmatch.fnmatchcase(name, pattern) for pattern in settings.REPLICA_VIEWS)


class ReplicaMiddleware:
    """Opens the per-request routing state; marks the request read-only once its view is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _RequestState()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is not None and not state.wrote:
            state.replica_ok = (
                request.method in ("GET", "HEAD")
                and PIN_COOKIE not in request.COOKIES
                and _marked_read_only(request, view_func)
            )
        return None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if (
            state is not None
            and state.replica_ok
            and not state.wrote
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
