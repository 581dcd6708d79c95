"""The unread count of a user's inbox (站内信), shown in the shell of every page: kept in the cache
when the cache is shared by every web process (Redis), deleted whenever the inbox changes — a
message written (one or in bulk), read or deleted — at once and again after the commit.

The cache's copy lives at most UNREAD_SECONDS: a delete that could not reach Redis, or a count read
just before another transaction committed, is corrected within that time.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

from mofang.platform.accounts.access import PREFETCH, prefetched

UNREAD_SECONDS = 60


def _key(user_id) -> str:
    return f"mofang:unread:{user_id}"


def _count(user) -> int:
    return user.inbox.filter(read_at__isnull=True).count()


def unread_count(user) -> int:
    if not getattr(settings, "MOFANG_SHARED_CACHE", False):
        return _count(user)
    key = _key(user.pk)
    n = prefetched(user).get(key)  # read with the memberships (accounts.access)
    if n is None:
        n = cache.get(key)
    if n is None:
        n = _count(user)
        cache.set(key, n, UNREAD_SECONDS)
    return n


def signed_in(sender, request, user, **kwargs):
    """A login puts the unread count into the cache, as accounts.access puts the memberships: the
    first page after it (often the page that sent the parent to log in) reads both in one round
    trip instead of counting the inbox."""
    if getattr(settings, "MOFANG_SHARED_CACHE", False):
        cache.set(_key(user.pk), _count(user), UNREAD_SECONDS)


def _prefetch_key(user) -> str | None:
    return _key(user.pk) if getattr(settings, "MOFANG_SHARED_CACHE", False) else None


def inbox_changed(user_ids) -> None:
    keys = [_key(i) for i in sorted({i for i in user_ids if i is not None})]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


class InboxQuerySet(models.QuerySet):
    """Writes that send no signals tell the cache whose inbox they changed."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        inbox_changed(o.recipient_id for o in objs)
        return created

    def update(self, **kwargs):
        recipients = list(self.values_list("recipient_id", flat=True).distinct())
        n = super().update(**kwargs)
        inbox_changed(recipients)
        return n

    update.queryset_only = True  # type: ignore[attr-defined]


def message_changed(sender, instance, **kwargs):
    inbox_changed([instance.recipient_id])


def connect():
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_delete, post_save

    from .models import InboxMessage

    post_save.connect(message_changed, sender=InboxMessage, dispatch_uid="notifications.inbox.saved")
    post_delete.connect(message_changed, sender=InboxMessage, dispatch_uid="notifications.inbox.deleted")
    user_logged_in.connect(signed_in, dispatch_uid="notifications.inbox.signed_in")
    if _prefetch_key not in PREFETCH:
        PREFETCH.append(_prefetch_key)
