"""The tally of plays and likes (the write side of the view and like counters), holding under heavy read load.

With Redis configured (REDIS_URL), a view or a like adds 1 to a Redis hash — one round trip, no
database row locked — and a periodic flush adds the counted numbers to the lessons' rows in one
transaction. Each flush first moves the counts atomically (a Lua script) into a batch hash named by
a token; the database transaction that adds a batch also writes its CounterFlush row, and the
batch hash is deleted only after that commit. A flush that dies half-way leaves the batch hash
behind: the next flush finds it and adds it — unless its CounterFlush row says it was added
already, then it only deletes it. So no count is lost or doubled, and after a flush the rows hold
the exact totals.

Without Redis (the embedded default) — or while Redis is unreachable — the count goes straight to
the row with an UPDATE … SET views = views + 1, so a Redis outage loses nothing either.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from redis.exceptions import RedisError

from .models import CounterFlush, Lesson

logger = logging.getLogger(__name__)

COUNTS = "mofang:lessons:counts"  # hash "v:<lesson id>" / "l:<lesson id>" -> count since the last flush
BATCH = "mofang:lessons:batch:"  # + token: a batch being added to the database

# Move every count into the batch hash and empty the live hash, atomically (no count in between
# can land in neither).
_MOVE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
return redis.call('HLEN', KEYS[2])
"""


def _redis():
    """The Redis connection of the default cache, or None on the embedded default."""
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        return None
    from django_redis import get_redis_connection  # type: ignore[import-untyped]

    return get_redis_connection("default")


def _add(field: str, lesson_id: int, delta: int) -> int | None:
    """Count `delta`; the lesson's count now waiting in Redis, or None when it went to the row."""
    r = _redis()
    if r is not None:
        try:
            return int(r.hincrby(COUNTS, f"{field}:{lesson_id}", delta))
        except RedisError:  # Redis down: count in the database rather than lose it
            logger.warning("Redis unreachable: lesson %s counted in the database", lesson_id)
    column = "views" if field == "v" else "likes"
    Lesson.objects.filter(pk=lesson_id).update(**{column: F(column) + delta})
    return None


def count_view(lesson_id: int) -> None:
    _add("v", lesson_id, 1)


def count_like(lesson_id: int, delta: int) -> int | None:
    """+1 for a like, −1 for a withdrawn one (the LessonLike row is written by the caller); the
    likes now waiting in Redis, or None when counted on the row."""
    return _add("l", lesson_id, delta)


def pending(lesson_id: int) -> tuple[int, int]:
    """Views and likes counted but not yet flushed (0, 0 without Redis or while it is down)."""
    r = _redis()
    if r is None:
        return 0, 0
    try:
        v, lk = r.hmget(COUNTS, f"v:{lesson_id}", f"l:{lesson_id}")
    except RedisError:
        return 0, 0
    return int(v or 0), int(lk or 0)


def flush() -> int:
    """Add every counted view and like to the lessons' rows; the number of batches added."""
    r = _redis()
    if r is None:
        return 0
    added = 0
    try:
        for key in sorted(k.decode() if isinstance(k, bytes) else k for k in r.scan_iter(f"{BATCH}*")):
            added += _add_batch(r, key)  # a batch left by a flush that died half-way
        key = f"{BATCH}{uuid.uuid4().hex}"
        if r.eval(_MOVE, 2, COUNTS, key):
            added += _add_batch(r, key)
    except RedisError:
        logger.warning("Redis unreachable: lesson counters not flushed this time (nothing lost)")
    return added


def _add_batch(r, key: str) -> int:
    token = key[len(BATCH) :]
    counts: dict[int, list[int]] = {}
    for field, value in r.hgetall(key).items():
        field = field.decode() if isinstance(field, bytes) else field
        kind, lesson_id = field.split(":")
        counts.setdefault(int(lesson_id), [0, 0])["vl".index(kind)] += int(value)
    with transaction.atomic():
        _, created = CounterFlush.objects.get_or_create(token=token)
        if created:
            for lesson_id in sorted(counts):  # one lock order for every flush
                views, likes = counts[lesson_id]
                Lesson.objects.filter(pk=lesson_id).update(views=F("views") + views, likes=F("likes") + likes)
            CounterFlush.objects.filter(token=token).update(
                lessons=len(counts),
                views=sum(v for v, _ in counts.values()),
                likes=sum(lk for _, lk in counts.values()),
            )
    r.delete(key)
    return 1 if created else 0
