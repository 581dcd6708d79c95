"""Views and likes: one like per user, plays counted without locking the lesson's row; with Redis,
counted in Redis and added in batches — exact totals after a flush, nothing lost or doubled when a
flush dies half-way, and nothing lost while Redis is down."""

import os

import pytest
from django.test import Client, override_settings

from mofang.resources.lessons import services, tally
from mofang.resources.lessons.models import CounterFlush, Lesson, LessonLike
from mofang.settings import redis_cache

from .conftest import lesson_data, mp4

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL 未设置（CI 的 PostgreSQL 轮次会设置）")


@pytest.fixture
def lesson(ls):
    lesson = services.submit_lesson(acting_user=ls.teacher, school=ls.tree.school, data=lesson_data(), media=mp4())
    services.review_lesson(acting_user=ls.reviewer, lesson=lesson, publish=True)
    return lesson


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _totals(c, lesson):
    body = c.get(f"/lessons/{lesson.pk}/").content.decode()
    views = int(body.split('id="ls-views">')[1].split("<")[0])
    likes = int(body.split('id="ls-likes">')[1].split("<")[0])
    return views, likes


@pytest.fixture
def redis_tally():
    with override_settings(CACHES={"default": redis_cache(REDIS_URL)}):
        r = tally._redis()
        r.delete(tally.COUNTS, *r.keys(f"{tally.BATCH}*"))
        yield r


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_without_redis_a_play_and_a_like_land_on_the_row_at_once(ls, lesson):
    c = _client(ls.parent)
    assert c.post(f"/lessons/{lesson.pk}/play/").status_code == 204
    c.post(f"/lessons/{lesson.pk}/like/")
    lesson.refresh_from_db()
    assert (lesson.views, lesson.likes) == (1, 1)
    assert _totals(c, lesson) == (1, 1)


def test_one_like_per_user_and_a_second_tap_takes_it_back(ls, lesson):
    c = _client(ls.parent)
    r = c.post(f"/lessons/{lesson.pk}/like/")
    assert "已点赞" in r.content.decode() and 'id="ls-likes">1<' in r.content.decode()
    r = _client(ls.colleague).post(f"/lessons/{lesson.pk}/like/")
    assert 'id="ls-likes">2<' in r.content.decode()
    r = c.post(f"/lessons/{lesson.pk}/like/")
    assert "已点赞" not in r.content.decode() and 'id="ls-likes">1<' in r.content.decode()
    tally.flush()
    lesson.refresh_from_db()
    assert lesson.likes == LessonLike.objects.filter(lesson=lesson).count() == 1


@needs_redis
def test_with_redis_counts_wait_in_redis_and_a_flush_makes_the_row_exact(ls, lesson, redis_tally):
    c = _client(ls.parent)
    for _ in range(7):
        c.post(f"/lessons/{lesson.pk}/play/")
    c.post(f"/lessons/{lesson.pk}/like/")
    lesson.refresh_from_db()
    assert (lesson.views, lesson.likes) == (0, 0)  # nothing written to the row yet
    assert _totals(c, lesson) == (7, 1)  # the page adds what waits in Redis
    assert tally.flush() == 1
    lesson.refresh_from_db()
    assert (lesson.views, lesson.likes) == (7, 1)
    assert _totals(c, lesson) == (7, 1)
    assert tally.flush() == 0  # nothing counted since: no batch


@needs_redis
def test_a_flush_that_died_half_way_is_finished_once(ls, lesson, redis_tally):
    r = redis_tally
    for _ in range(5):
        services.record_play(lesson_id=lesson.pk)
    # the flush moved the counts into its batch and died before adding them
    batch = f"{tally.BATCH}deadbeef"
    r.eval(tally._MOVE, 2, tally.COUNTS, batch)
    services.record_play(lesson_id=lesson.pk)  # a play after the crash
    assert tally.flush() == 2
    lesson.refresh_from_db()
    assert lesson.views == 6
    # the same batch found again after its commit (the process died before deleting it): not re-added
    r.hset(batch, f"v:{lesson.pk}", 5)
    assert tally.flush() == 0
    lesson.refresh_from_db()
    assert lesson.views == 6 and not r.exists(batch)
    assert CounterFlush.objects.get(token="deadbeef").views == 5


@needs_redis
def test_while_redis_is_down_plays_are_counted_in_the_database(ls, lesson):
    dead = {"default": redis_cache("redis://127.0.0.1:1/0")}
    with override_settings(CACHES=dead):
        c = _client(ls.parent)
        assert c.post(f"/lessons/{lesson.pk}/play/").status_code == 204
        assert tally.flush() == 0
    assert Lesson.objects.get(pk=lesson.pk).views == 1


def test_plays_count_only_on_published_lessons(ls):
    draft = services.submit_lesson(acting_user=ls.teacher, school=ls.tree.school, data=lesson_data(), media=mp4())
    assert _client(ls.teacher).post(f"/lessons/{draft.pk}/play/").status_code == 404
    assert _client(ls.teacher).post(f"/lessons/{draft.pk}/like/").status_code == 404
    assert _client(ls.teacher).get(f"/lessons/{draft.pk}/play/").status_code == 405


def test_a_play_does_not_read_the_lesson_again(ls, lesson):
    """The hottest request: whether the lesson is published is remembered, not read per play."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _client(ls.parent)
    assert c.post(f"/lessons/{lesson.pk}/play/").status_code == 204
    with CaptureQueriesContext(connection) as ctx:
        assert c.post(f"/lessons/{lesson.pk}/play/").status_code == 204
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT") and "lessons_lesson" in q["sql"]]
    assert reads == []


def test_a_play_without_a_signed_in_session_counts_nothing(ls, lesson):
    r = Client().post(f"/lessons/{lesson.pk}/play/")
    assert r.status_code == 302
    assert Lesson.objects.get(pk=lesson.pk).views == 0


def test_a_withdrawn_lesson_stops_counting_at_once(ls, lesson):
    c = _client(ls.parent)
    assert c.post(f"/lessons/{lesson.pk}/play/").status_code == 204  # remembered as published
    services.withdraw_lesson(acting_user=ls.reviewer, lesson=lesson, note="内容已过时")
    assert c.post(f"/lessons/{lesson.pk}/play/").status_code == 404
