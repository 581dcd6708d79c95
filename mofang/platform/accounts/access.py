"""What a signed-in request knows of its user without asking the database again: the memberships
(with their roles' permissions and orgs) kept in the cache between requests.

The anchor is `User.access_version`, read with the user row that every signed-in request loads
anyway (django.contrib.auth checks the session against it). The cached memberships are stored under
(user, access_version); whatever changes what a user may do — a membership granted, revoked or
moved, a role's permissions changed — raises the version in SQL in the same transaction, so the
very next request reads a new key and loads the memberships afresh. Nothing has to be deleted from
the cache, so a change made while Redis is unreachable still takes effect at once, and a request
that read the old rows can only ever store them under the old key.

Only the user of a request (marked by RequestUserMiddleware, loaded from the database at the
start of the request) reads this cache; a user object held elsewhere (a service, a job, a test)
loads its memberships from the database, as before.
"""

import secrets

from django.core.cache import cache
from django.db import models, transaction
from django.utils.functional import LazyObject, SimpleLazyObject, empty

# Versioned, so correct without expiry; the lifetime only bounds how long a renamed org unit's old
# name may show in the shell and how long a departed user's entry takes space.
MEMBERSHIPS_SECONDS = 600
REQUEST_USER = "_mofang_request_user"


def new_version() -> int:
    """A new account's first access version: random, so a cached entry can never be taken for
    another account's (the embedded SQLite reuses the ids of deleted rows)."""
    return secrets.randbits(62)


def _key(user) -> str:
    return f"mofang:access:{user.pk}:{user.access_version}"


# Other per-user cache keys read in the same round trip as the memberships (the inbox's unread
# count): (user) -> key or None; what was found is left in user.__dict__[PREFETCHED].
PREFETCH: list = []
PREFETCHED = "_mofang_prefetched"


def prefetched(user) -> dict:
    """What was read with the memberships (PREFETCH) for this user; the request's `request.user`
    is a lazy wrapper (or two) whose own __dict__ is not the user's."""
    while isinstance(user, LazyObject):  # django-otp wraps the lazy user once more
        user = user._wrapped
    return user.__dict__.get(PREFETCHED, {}) if user is not empty else {}


def load_memberships(user) -> list:
    return list(user.memberships.select_related("role", "org").order_by("role__rank", "org__path"))


def signed_in(sender, request, user, **kwargs):
    """A login puts the account's memberships into the cache (under its version read now), so its
    first page is as cheap as the next."""
    from .models import User

    version = User.objects.filter(pk=user.pk).values_list("access_version", flat=True).first()
    if version is not None:
        cache.set(f"mofang:access:{user.pk}:{version}", load_memberships(user), MEMBERSHIPS_SECONDS)


def cached_memberships(user, load):
    """The user's memberships: from the cache for the request's own user, else `load()`."""
    if not user.__dict__.get(REQUEST_USER):
        return load()
    key = _key(user)
    extra = [k for k in (f(user) for f in PREFETCH) if k]
    got = cache.get_many([key, *extra])
    user.__dict__[PREFETCHED] = {k: got[k] for k in extra if k in got}
    found = got.get(key)
    if found is None:
        found = load()
        cache.set(key, found, MEMBERSHIPS_SECONDS)
    return found


def bump(user_ids) -> None:
    """Raise the access version of these users, in the caller's transaction."""
    from .models import User

    ids = user_ids if isinstance(user_ids, models.QuerySet) else sorted({i for i in user_ids if i is not None})
    if isinstance(ids, list) and not ids:
        return
    User.objects.filter(pk__in=ids).update(access_version=models.F("access_version") + 1)


def request_user(request):
    """The request's user, loaded by django.contrib.auth (from the database, with its access
    version), marked as the one that reads its memberships from the cache. A session read from the
    cache under an older access version is read again from the database first (accounts.sessions):
    gone there, it was signed out — the request is anonymous."""
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.auth.middleware import get_user
    from django.contrib.auth.models import AnonymousUser

    from . import backends

    session = request.session
    if session.get(BACKEND_SESSION_KEY) == backends.LEGACY_PATH:  # signed in before AccountBackend
        session[BACKEND_SESSION_KEY] = backends.PATH
    user = get_user(request)
    if not getattr(user, "is_authenticated", False):
        return user
    cached = getattr(session, "cached_version", None)
    if cached is not None and cached != user.access_version and not session.still_there():
        session.flush()
        request._cached_user = AnonymousUser()
        return request._cached_user
    user.__dict__[REQUEST_USER] = True
    return user


class RequestUserMiddleware:
    """After AuthenticationMiddleware: the request's user (loaded from the database, with its
    access version) may read its memberships from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "session"):
            request.user = SimpleLazyObject(lambda: request_user(request))
        return self.get_response(request)


# --- what raises the version ----------------------------------------------------------------


class MembershipQuerySet(models.QuerySet):
    """Writes that send no signals raise the version of the users they touch."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            bump(o.user_id for o in objs)
        return created

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            before = list(self.values_list("user_id", flat=True).distinct())
            n = super().update(**kwargs)
            bump(before + ([kwargs["user"].pk] if "user" in kwargs else []) + [kwargs.get("user_id")])
        return n

    update.queryset_only = True  # type: ignore[attr-defined]


def membership_changed(sender, instance, **kwargs):
    bump([instance.user_id])
    user = instance._state.fields_cache.get("user")
    if user is not None:  # the instance the caller holds sees the change too
        for attr in ("_mofang_memberships", "_mofang_grants", "_mofang_shell"):
            user.__dict__.pop(attr, None)


def signed_out(sender, request, user, **kwargs):
    """Signing out raises the version: a cached copy of the session that Redis kept (its delete
    did not reach it) is checked against the database before it is believed (accounts.sessions)."""
    if user is not None and user.pk is not None:
        bump([user.pk])


def role_changed(sender, instance, created, **kwargs):
    """A role's permissions (synced from code after every migrate) changed: its holders' versions."""
    if created or not getattr(instance, "_mofang_changed", True):
        return
    from .models import Membership

    bump(Membership.objects.filter(role=instance).values("user_id"))


def role_before_save(sender, instance, **kwargs):
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values("permissions", "second_factor", "rank", "name").first()
    new = {k: getattr(instance, k) for k in ("permissions", "second_factor", "rank", "name")}
    instance._mofang_changed = old != new


def connect():
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.db.models.signals import post_delete, post_save, pre_save

    from .models import Membership, Role

    post_save.connect(membership_changed, sender=Membership, dispatch_uid="accounts.access.membership_saved")
    post_delete.connect(membership_changed, sender=Membership, dispatch_uid="accounts.access.membership_deleted")
    pre_save.connect(role_before_save, sender=Role, dispatch_uid="accounts.access.role_before_save")
    post_save.connect(role_changed, sender=Role, dispatch_uid="accounts.access.role_saved")
    user_logged_out.connect(signed_out, dispatch_uid="accounts.access.signed_out")
    user_logged_in.connect(signed_in, dispatch_uid="accounts.access.signed_in")
