"""The one rate limiter (限流) for every public form and login, and the one reading of the client's
address that it — and every other caller that needs an address — keys on.

A `Limit` is a name and one or more rates ("at most N in S seconds", each with its Chinese refusal).
Its memory is in the database so that it holds across every web process (the embedded default's
cache is local memory, one per process): one RateLimitBucket row per (limit, client) keeps the times
of that client's counted requests within the limit's longest window (a sliding window). The row is
locked (SELECT … FOR UPDATE) while counting, so concurrent requests of one client are checked one
after the other. A limit whose attempts are domain rows already (a parent's missed binding tries)
counts those rows instead; its bucket row is then only the lock.

Refusals are `RateLimited` (a ValidationError carrying the HTTP status: 429 unless the limit keeps
another). Password lock-out per username and address stays django-axes' (settings.AXES_*), which
reads the client address through `client_ip` too.
"""

import datetime as dt
import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitBucket

MAX_WINDOW = 24 * 3600  # buckets untouched for longer than a day are purged (purge_stale)


# --- the client's address -------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[tuple, bool]:
    nets = tuple(ipaddress.ip_network(e, strict=False) for e in entries if e != "unix")
    return nets, "unix" in entries


def _address(value: str | None):
    """An IP address from a REMOTE_ADDR or X-Forwarded-For entry ("1.2.3.4", "1.2.3.4:5678",
    "[2001:db8::1]:443"), or None when it is none."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port (an IPv6 address has several colons)
        value = value.split(":")[0]
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None
    return (addr.ipv4_mapped or addr) if addr.version == 6 else addr


def _is_trusted(addr) -> bool:
    nets, unix = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if addr is None:  # a peer without an IP address: a proxy talking over a unix socket
        return unix
    return any(addr in net for net in nets)


def client_ip(request) -> str:
    """The real client address of a request ("" when there is none).

    X-Forwarded-For is honoured only when the immediate peer is a trusted proxy
    (settings.TRUSTED_PROXIES, from MOFANG_TRUSTED_PROXIES); then the right-most address in it that
    is not a trusted proxy is the client (left of it, anything may be forged by the client). Without
    a trusted peer the header is ignored and the peer is the client.
    """
    raw_peer = request.META.get("REMOTE_ADDR") or ""
    peer = _address(raw_peer)
    if not _is_trusted(peer):
        return str(peer) if peer is not None else ""
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        addr = _address(hop)
        if addr is None:  # not an address where one should be: keep the last hop we trust
            break
        client = addr
        if not _is_trusted(addr):
            break
    return str(client) if client is not None else ""


# --- the limiter ------------------------------------------------------------------------------


class RateLimited(ValidationError):
    """A request refused by a rate limit: the Chinese message and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 429):
        super().__init__(message, code="rate_limited")
        self.status = status


@dataclass(frozen=True)
class Rate:
    """At most `count` counted requests in any `seconds`; `message` says so when refused."""

    count: int
    seconds: int
    message: str


@dataclass(frozen=True)
class Limit:
    """A named limit of one kind of request per client (an address, a phone, a session, an account).

    `counted_in` = (model, key field, time field) when the counted attempts are domain rows of that
    model (then hit() creates one such row with the key field set); else the bucket row keeps them.
    """

    name: str
    rates: tuple[Rate, ...]
    status: int = 429
    counted_in: tuple | None = None

    def __post_init__(self):
        if not self.rates or max(r.seconds for r in self.rates) > MAX_WINDOW:
            raise ValueError(f"limit {self.name}: one to several rates, none longer than a day")

    @property
    def window(self) -> int:
        return max(r.seconds for r in self.rates)

    def consume(self, key, *, now=None) -> None:
        """Count one request of this client, or raise RateLimited (uncounted) when none is left."""
        consume((self, key), now=now)

    def check(self, key, *, now=None) -> None:
        """Raise RateLimited when this client has no request left; nothing is counted. Inside the
        caller's transaction the client's bucket stays locked until it ends, so that a hit() later
        in the same transaction cannot be overtaken by a concurrent request."""
        consume((self, key), now=now, count=False)

    def hit(self, key, *, now=None) -> None:
        """Count one request of this client, whether or not its limit is reached (a failure that
        already happened: a wrong password, a missed binding)."""
        now = now or timezone.now()
        with transaction.atomic():
            bucket = _locked_bucket(self, key)
            _count(self, key, bucket, now)


def consume(*pairs: tuple[Limit, object], now=None, count: bool = True) -> None:
    """Check every (limit, key) in the order given and, when none is full, count one request on
    each — all or nothing: a refused request counts nowhere (so retrying does not extend the wait).
    Raises RateLimited with the first full limit's message."""
    now = now or timezone.now()
    with transaction.atomic():
        # lock in one fixed order, whatever order the caller checks in (no deadlock between callers)
        buckets = {
            (limit.name, _digest(limit, key)): _locked_bucket(limit, key)
            for limit, key in sorted(pairs, key=lambda p: (p[0].name, _digest(*p)))
        }
        for limit, key in pairs:
            times = _times(limit, key, buckets[limit.name, _digest(limit, key)], now)
            for rate in limit.rates:
                since = now.timestamp() - rate.seconds
                if sum(1 for t in times if t > since) >= rate.count:
                    raise RateLimited(rate.message, limit.status)
        if count:
            for limit, key in pairs:
                _count(limit, key, buckets[limit.name, _digest(limit, key)], now)


def purge_stale(*, now=None) -> int:
    """Delete the buckets of clients not counted for longer than any window (a periodic job)."""
    now = now or timezone.now()
    deleted, _ = RateLimitBucket.objects.filter(updated_at__lt=now - dt.timedelta(seconds=MAX_WINDOW)).delete()
    return deleted


def _digest(limit: Limit, key) -> str:
    return salted_hmac("mofang.ratelimit", f"{limit.name}:{key}").hexdigest()[:40]


def _locked_bucket(limit: Limit, key) -> RateLimitBucket:
    """The client's bucket, locked until the transaction ends (created on its first request).

    INSERT … ON CONFLICT DO NOTHING never fails on a concurrent first request: PostgreSQL makes it
    wait for the other transaction's row, then skips it. SQLite serialises writers anyway
    (transaction_mode IMMEDIATE), where select_for_update is a no-op.
    """
    digest = _digest(limit, key)
    RateLimitBucket.objects.bulk_create([RateLimitBucket(limit=limit.name, key=digest)], ignore_conflicts=True)
    return RateLimitBucket.objects.select_for_update().get(limit=limit.name, key=digest)


def _times(limit: Limit, key, bucket: RateLimitBucket, now) -> list[float]:
    """The client's counted requests within the limit's longest window, as POSIX timestamps."""
    since = now - dt.timedelta(seconds=limit.window)
    if limit.counted_in is not None:
        model, key_field, time_field = limit.counted_in
        rows = model.objects.filter(**{key_field: key, f"{time_field}__gt": since})
        return [t.timestamp() for t in rows.values_list(time_field, flat=True)]
    return [t for t in bucket.hits if t > since.timestamp()]


def _count(limit: Limit, key, bucket: RateLimitBucket, now) -> None:
    if limit.counted_in is not None:
        model, key_field, _time_field = limit.counted_in
        model.objects.create(**{key_field: key})
        bucket.hits = []
    else:
        bucket.hits = [*_times(limit, key, bucket, now), now.timestamp()]
    bucket.updated_at = now
    bucket.save(update_fields=["hits", "updated_at"])
