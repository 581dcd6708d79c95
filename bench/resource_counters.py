"""Benchmark: 教育资源's view and like counters under heavy read load, on the real server.

A popular lesson is opened by thousands at once. The production server — gunicorn with several
worker processes on `mofang.wsgi`, the production settings, PostgreSQL and Redis (REDIS_URL, by
default redis://127.0.0.1:6379/2; --no-redis counts straight in the database) — under a load
generator on the same machine (asyncio, one connection per request). In one run:

  (1) the same server's trivial page: GET /enrollment/, anonymous and for the signed-in parents;
  (2) plays: each signed-in parent POSTs /lessons/<id>/play/ (what the player sends once when the
      video starts) for lessons picked with a heavy skew (80% to the 5 most popular of 50);
  (3) likes: each parent POSTs /lessons/<id>/like/ for distinct lessons (the htmx button).

Then the counters are flushed (the periodic job's flush, run here) and counted: every lesson's
views equal the plays answered 204 for it, its likes equal its LessonLike rows and the likes
answered 已点赞 — nothing lost, nothing doubled; no 5xx. The rates of (2) and (3) are printed
against the trivial page's (target ≥ 70%). Printed, and written to bench/out/resource_tally.json;
a failed count makes the run exit 1, the timing figures never do.

    python bench/resource_tally.py                 # 200 clients, 40 plays and 5 likes each
    python bench/resource_tally.py --no-redis      # the same, counting straight in the database
    python bench/resource_tally.py --smoke         # 20 clients, 2 workers, for CI
"""

import argparse
import asyncio
import os
import random
import secrets
import sys
import time
from dataclasses import dataclass, field

import benchlib
from registration_surge import Server, Stats, get_phase, metered, timed_request

TRIVIAL_PATH = "/enrollment/"
N_LESSONS = 50
HOT = 5
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LIKED = "已点赞".encode()
TARGET = 0.70


@dataclass
class Parent:
    user_id: int
    cookies: dict
    csrf: str
    plays: list = field(default_factory=list)
    likes: list = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients, one parent each (default 200)")
    parser.add_argument("--plays", type=int, default=40, help="plays per client (default 40)")
    parser.add_argument("--likes", type=int, default=5, help="likes per client, distinct lessons (default 5)")
    parser.add_argument("--requests", type=int, default=20, help="trivial-page requests per client (default 20)")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn worker processes (default 2×CPU+1)"
    )
    parser.add_argument("--no-redis", action="store_true", help="count in the database (no REDIS_URL)")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--smoke", action="store_true", help="20 clients, 2 workers, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.plays, args.likes, args.requests, args.workers = 20, 10, 3, 5, 2
    if args.no_redis:
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")

    benchlib.setup_django()
    from django.db import connection

    from mofang.resources.lessons import tally

    redis = tally._redis()
    mode = "Redis 计数、批量入库" if redis is not None else "直接写数据库"
    if redis is not None:
        redis.delete(tally.COUNTS, *redis.keys(f"{tally.BATCH}*"))
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · {mode}"
    )
    print(
        f"  gunicorn {args.workers} workers · {args.clients} clients × {args.plays} plays + {args.likes} likes · "
        f"{N_LESSONS} lessons"
    )
    results: dict[str, float] = {}
    with benchlib.timed("lessons and signed-in parents", results):
        lessons = prepare_lessons()
        parents = prepare_parents(args.clients)
    rng = random.Random(args.seed)
    ids = [lesson.pk for lesson in lessons]
    for p in parents:
        p.plays = [rng.choice(ids[:HOT]) if rng.random() < 0.8 else rng.choice(ids) for _ in range(args.plays)]
        p.likes = rng.sample(ids, args.likes)
    connection.close()

    server = Server(args.workers)
    server.log = benchlib.OUT / "resource_counters-gunicorn.log"
    try:
        server.start()
        print(f"  server: gunicorn mofang.wsgi on 127.0.0.1:{server.port} (log {server.log.name})")
        run = asyncio.run(load(server.port, server.proc.pid, args, parents))
    finally:
        server.stop()
    t0 = time.perf_counter()
    batches = tally.flush()
    flush_seconds = time.perf_counter() - t0
    return report(args, run, parents, ids, mode, batches, flush_seconds)


# --- data ---------------------------------------------------------------------------------------


def prepare_lessons():
    """A school with a teacher and 50 published lessons (links), rebuilt on every run."""
    from django.utils import timezone

    from mofang.platform.accounts.models import Membership, Role, User
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.resources.lessons.models import Kind, Lesson, Status

    root = OrgUnit.objects.filter(code="BENCHLS", kind=OrgKind.PROVINCE).first()
    if root is None:
        root = OrgUnit.objects.add_root({"name": "基准资源省", "kind": OrgKind.PROVINCE, "code": "BENCHLS"})
        school = OrgUnit.objects.add_child(root, {"name": "基准资源学校", "kind": OrgKind.SCHOOL, "code": "BENCHLS01"})
    else:
        school = OrgUnit.objects.get(code="BENCHLS01")
    Lesson.objects.filter(school=school).delete()
    teacher, _ = User.objects.get_or_create(username="bench_ls_teacher", defaults={"full_name": "基准教师"})
    Membership.objects.get_or_create(user=teacher, role=Role.objects.get(code="teacher"), org=school)
    now = timezone.now()
    return Lesson.objects.bulk_create(
        Lesson(
            kind=Kind.LESSON,
            title=f"基准优课{i}",
            initials=f"jzyk{i}",
            subject="语文",
            grade=1 + i % 6,
            teacher=teacher,
            school=school,
            link=f"https://example.edu.cn/v/{i}",
            duration_minutes=40,
            status=Status.PUBLISHED,
            published_at=now,
        )
        for i in range(N_LESSONS)
    )


def prepare_parents(n: int) -> list[Parent]:
    """N parent accounts (role 家长 at the bench province), each signed in through the configured
    session engine as a login stores it (SessionStore.create), with a CSRF cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from mofang.platform.accounts import backends
    from mofang.platform.accounts.models import Membership, Role, User
    from mofang.platform.orgs.models import OrgUnit
    from mofang.resources.lessons.models import LessonLike

    old = User.objects.filter(username__startswith="bench_ls_parent_")
    LessonLike.objects.filter(user__in=old).delete()
    Membership.objects.filter(user__in=old).delete()
    old.delete()
    root = OrgUnit.objects.get(code="BENCHLS")
    users = User.objects.bulk_create(
        User(username=f"bench_ls_parent_{i}", full_name=f"基准家长{i}", password="!") for i in range(n)
    )
    role = Role.objects.get(code="parent")
    Membership.objects.bulk_create(Membership(user=u, role=role, org=root) for u in users)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    out = []
    for u in users:
        s = store_class()
        s[SESSION_KEY] = str(u.pk)
        s[BACKEND_SESSION_KEY] = backends.PATH
        s[HASH_SESSION_KEY] = u.get_session_auth_hash()
        s["_refreshed"] = int(time.time())  # the idle-expiry stamp the login signal sets (accounts.middleware)
        s.create()
        csrf = "".join(secrets.choice(CSRF_CHARS) for _ in range(32))
        out.append(Parent(u.pk, {settings.SESSION_COOKIE_NAME: s.session_key, settings.CSRF_COOKIE_NAME: csrf}, csrf))
    return out


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Phase:
    post: Stats
    seconds: float
    answered: dict  # lesson id -> plays answered 204, or likes answered 已点赞
    unexpected: list
    cores: tuple = (0.0, 0.0)


async def post_phase(port: int, parents: list[Parent], kind: str) -> Phase:
    post, answered, unexpected = Stats(), {}, []
    origin = f"http://127.0.0.1:{port}"

    async def one(p: Parent):
        for lesson_id in p.plays if kind == "play" else p.likes:
            path = f"/lessons/{lesson_id}/{kind}/"
            headers = {
                "Origin": origin,
                "Referer": f"{origin}/lessons/{lesson_id}/",
                "X-CSRFToken": p.csrf,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            status, _h, body = await timed_request(post, port, "POST", path, headers=headers, cookies=dict(p.cookies))
            ok = status == 204 if kind == "play" else status == 200 and LIKED in body
            if ok:
                answered[lesson_id] = answered.get(lesson_id, 0) + 1
            elif status is not None:
                unexpected.append(f"POST {path}: HTTP {status} {body[:120]!r}")

    t0 = time.perf_counter()
    await asyncio.gather(*(one(p) for p in parents))
    return Phase(post, time.perf_counter() - t0, answered, unexpected)


@dataclass
class Run:
    trivial: Stats
    trivial_parent: Stats
    plays: Phase
    likes: Phase


async def load(port: int, master: int, args, parents) -> Run:
    jars = [p.cookies for p in parents]
    await get_phase(port, args.workers * 2, 4, [TRIVIAL_PATH], jars)  # warm-up
    trivial = await metered(get_phase(port, args.clients, args.requests, [TRIVIAL_PATH]), master)
    print(f"  trivial page: {trivial.count:,} requests in {trivial.seconds:.2f}s")
    trivial_parent = await metered(get_phase(port, args.clients, args.requests, [TRIVIAL_PATH], jars), master)
    print(f"  trivial page, signed in: {trivial_parent.count:,} requests in {trivial_parent.seconds:.2f}s")
    plays = await metered(post_phase(port, parents, "play"), master)
    print(f"  plays: {plays.post.count:,} POSTs in {plays.seconds:.2f}s")
    likes = await metered(post_phase(port, parents, "like"), master)
    print(f"  likes: {likes.post.count:,} POSTs in {likes.seconds:.2f}s")
    return Run(trivial, trivial_parent, plays, likes)


# --- the count and the table ------------------------------------------------------------------


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else 0.0


def report(args, run: Run, parents, ids, mode: str, batches: int, flush_seconds: float) -> int:
    from django.db.models import Count

    from mofang.resources.lessons.models import Lesson, LessonLike

    rows = dict(LessonLike.objects.filter(lesson_id__in=ids).values_list("lesson_id").annotate(n=Count("pk")))
    stored = {lesson.pk: (lesson.views, lesson.likes) for lesson in Lesson.objects.filter(pk__in=ids)}
    problems = []
    for lesson_id in ids:
        views, likes = stored[lesson_id]
        if views != run.plays.answered.get(lesson_id, 0):
            problems.append(
                f"lesson {lesson_id}: {views} views stored, {run.plays.answered.get(lesson_id, 0)} answered"
            )
        if not likes == rows.get(lesson_id, 0) == run.likes.answered.get(lesson_id, 0):
            problems.append(
                f"lesson {lesson_id}: {likes} likes stored, {rows.get(lesson_id, 0)} rows, "
                f"{run.likes.answered.get(lesson_id, 0)} answered"
            )
    errors = (
        run.plays.post.server_errors + run.likes.post.server_errors + len(run.plays.unexpected + run.likes.unexpected)
    )
    trivial = _rate(run.trivial.count, run.trivial.seconds)
    signed = _rate(run.trivial_parent.count, run.trivial_parent.seconds)
    plays = _rate(run.plays.post.count, run.plays.seconds)
    likes = _rate(run.likes.post.count, run.likes.seconds)
    table = [
        [
            "trivial page, anonymous",
            f"{trivial:,.0f}",
            f"{run.trivial.pct(0.5):.0f}",
            f"{run.trivial.pct(0.99):.0f}",
            f"{run.trivial.cores[1] / trivial * 1000 if trivial else 0:.2f}",
            "",
        ],
        [
            "trivial page, signed in",
            f"{signed:,.0f}",
            f"{run.trivial_parent.pct(0.5):.0f}",
            f"{run.trivial_parent.pct(0.99):.0f}",
            f"{run.trivial_parent.cores[1] / signed * 1000 if signed else 0:.2f}",
            "",
        ],
        [
            "play (view counted)",
            f"{plays:,.0f}",
            f"{run.plays.post.pct(0.5):.0f}",
            f"{run.plays.post.pct(0.99):.0f}",
            f"{run.plays.cores[1] / plays * 1000 if plays else 0:.2f}",
            f"{plays / trivial:.0%} / {plays / signed:.0%}" if trivial and signed else "",
        ],
        [
            "like (htmx button)",
            f"{likes:,.0f}",
            f"{run.likes.post.pct(0.5):.0f}",
            f"{run.likes.post.pct(0.99):.0f}",
            f"{run.likes.cores[1] / likes * 1000 if likes else 0:.2f}",
            f"{likes / trivial:.0%} / {likes / signed:.0%}" if trivial and signed else "",
        ],
    ]
    print()
    benchlib.print_table(
        ["request", "per second", "p50 ms", "p99 ms", "server CPU ms/request", "vs trivial (anonymous / signed in)"],
        table,
    )
    print(f"\ncounting: {mode}; flush after the load: {batches} batch(es) in {flush_seconds * 1000:.0f} ms")
    print(
        f"target: plays and likes ≥ {TARGET:.0%} of the trivial page — plays {plays / trivial:.0%} of anonymous, "
        f"{plays / signed:.0%} of signed in; likes {likes / trivial:.0%} / {likes / signed:.0%}"
        if trivial and signed
        else ""
    )
    verdict = "OK" if not problems and not errors else "FAILED"
    print(
        f"counts after flush: {sum(v for v, _ in stored.values()):,} views, {sum(lk for _, lk in stored.values()):,} likes "
        f"({sum(rows.values()):,} like rows) — {verdict}"
    )
    for line in problems[:10] + (run.plays.unexpected + run.likes.unexpected)[:10]:
        print("  " + line)
    benchlib.write_json(
        "resource_counters",
        {
            "mode": mode,
            "clients": args.clients,
            "workers": args.workers,
            "trivial_per_s": trivial,
            "trivial_signed_in_per_s": signed,
            "plays_per_s": plays,
            "likes_per_s": likes,
            "plays_p99_ms": run.plays.post.pct(0.99),
            "likes_p99_ms": run.likes.post.pct(0.99),
            "problems": problems,
            "server_errors": errors,
        },
    )
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
