"""Benchmark: the after-school selection surge (选课高峰) on the real server.

When a school's selection window opens, every parent arrives at once. The production server —
gunicorn with several worker processes on `mofang.wsgi`, the production settings, PostgreSQL —
bound to 127.0.0.1 on a free port, under a load generator on the same machine (asyncio, one
connection per request). In one run:

  (1) a trivial page, anonymous: GET /enrollment/ (the platform's cheapest page; no health URL),
      the same server's "hello world" rate; (1b) the same page for the logged-in parents (what a
      session costs before any selection);
  (2) the surge: N parents, already logged in (phone + SMS code sessions), each choosing courses
      for their child as the selection page's htmx buttons do — POST /afterschool/select/<child>/
      (action=select) for two courses picked at random from the term's 40, which are
      oversubscribed (more demand than seats) and partly clash (same weekday and period), so many
      answers are 名额已满 or 时间冲突;
  (3) the signed-in page once more, after the surge. The ratio to issue 17's target divides the
      selections' rate by the faster of (1b) and (3): the stricter figure, and one short page phase
      landing in a slow moment of a shared VM can no longer flatter it.

Then the database is counted: no course holds more confirmed selections than its capacity, each
course's seat counter equals its confirmed selections, every accepted answer is exactly one stored
selection and every refused one none (no selection lost, none doubled), no child over the limit
or in two clashing courses, no 5xx. Printed, and written to bench/out/course_selection_surge.json;
a failed count makes the run exit 1, the timing figures never do.

    python bench/course_selection_surge.py                 # 20,000 parents, 200 clients, 2×CPU+1 workers
    python bench/course_selection_surge.py --parents 5000 --clients 100
    python bench/course_selection_surge.py --smoke         # 200 parents, 20 clients, 2 workers, for CI
"""

import argparse
import asyncio
import datetime as dt
import os
import random
import secrets
import sys
import time
from dataclasses import dataclass, field

import benchlib
from registration_surge import (
    Server,
    Stats,
    add_server_arguments,
    default_workers,
    faster_rate,
    get_phase,
    metered,
    table_row,
    timed_request,
)

TRIVIAL_PATH = "/enrollment/"
PHONE_PREFIX = {"smoke": "1960", "full": "1970"}
N_COURSES = 40
PER_PARENT = 2
ACCEPTED = "已为".encode()
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SIGNED_IN_TARGET = 0.60  # issue 17: selection POSTs/s ≥ 60% of the signed-in trivial page's rate
MOONSHOT_PARENTS, MOONSHOT_SECONDS = 20_000, 60  # 20,000 parents × 2 courses within a minute: 667/s
REFUSALS = [m.encode() for m in ("名额已满", "上课时间冲突", "已选满", "不能重复选择")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parents", type=int, default=20000, help="parents (one child each; default 20,000)")
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn processes (default 2×CPU+1 sync, CPU+1 gthread)"
    )
    add_server_arguments(parser)
    # 30 × 200 clients: a trivial-page phase of several seconds, so the ratio's denominator is not a
    # two-second sample (10 gave 920–1,009/s for the signed-in page on the same code)
    parser.add_argument("--requests", type=int, default=30, help="trivial-page requests per client (default 30)")
    parser.add_argument("--seed", type=int, default=20260901)
    parser.add_argument("--smoke", action="store_true", help="200 parents, 20 clients, 2 workers, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.parents, args.clients, args.workers, args.requests = 200, 20, 2, 5
    args.workers = args.workers or default_workers(args)
    size = "smoke" if args.smoke else "full"

    benchlib.setup_django()
    from django.db import connection

    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU"
    )
    print(
        f"  gunicorn {args.server} {args.workers} processes · {args.clients} clients · {args.parents:,} parents × "
        f"{PER_PARENT} selections · {N_COURSES} courses"
    )
    results: dict[str, float] = {}
    with benchlib.timed("school, term and courses", results):
        term, courses = prepare_term(size, args.parents)
    with benchlib.timed(f"{args.parents:,} children and logged-in parents", results):
        parents = prepare_parents(size, term, args.parents)
    rng = random.Random(args.seed)
    for p in parents:
        p.choices = rng.sample([c.pk for c in courses], PER_PARENT)
    connection.close()

    server = Server(args.workers, args.server, args.threads)
    server.log = benchlib.OUT / "course_selection_surge-gunicorn.log"
    try:
        server.start()
        print(f"  server: {server.description}, mofang.wsgi on 127.0.0.1:{server.port} (log {server.log.name})")
        run = asyncio.run(load(server.port, server.proc.pid, args, parents))
    finally:
        server.stop()
    return report(args, run, term, parents)


# --- data ---------------------------------------------------------------------------------------


def prepare_term(size: str, n_parents: int):
    """The bench province's first school gets a term (first-come, window open) of 40 courses: 8 per
    weekday in 4 clashing pairs over periods 1–3; total seats ≈ 70% of the demand."""
    from django.utils import timezone

    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people.models import Staff
    from mofang.resources.afterschool import services
    from mofang.resources.afterschool.models import Attendance, Course, Selection, Session, SurveyResponse, Term

    root, _schools = benchlib.bench_tree(size)
    school = OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).order_by("path").first()
    old = Term.objects.filter(school=school)
    Attendance.objects.filter(session__course__term__in=old).delete()
    Session.objects.filter(course__term__in=old).delete()
    SurveyResponse.objects.filter(term__in=old).delete()
    Selection.objects.filter(term__in=old).delete()
    Course.objects.filter(term__in=old).delete()
    old.delete()
    teacher = Staff.objects.filter(org=school, staff_no=f"ASB{school.code}").first()
    if teacher is None:
        teacher = Staff.objects.create(org=school, staff_no=f"ASB{school.code}", name="基准教师", sex="F")
    now, today = timezone.now(), timezone.localdate()
    term = services.create_term(
        school,
        name="基准学期",
        starts_on=today,
        ends_on=today + dt.timedelta(days=90),
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=1),
        max_courses=PER_PARENT,
        acting_user=None,
    )
    seats = max(N_COURSES, int(n_parents * PER_PARENT * 0.7))
    courses = []
    for i in range(N_COURSES):
        weekday, k = i // 8 + 1, i % 8
        p1 = (1, 2, 2, 3, 1, 1, 3, 3)[k]
        p2 = (2, 2, 3, 3, 1, 1, 3, 3)[k]
        courses.append(
            services.publish_course(
                term,
                name=f"基准课程{i + 1:02d}",
                weekday=weekday,
                period_from=p1,
                period_to=p2,
                place=f"教室{i + 1}",
                capacity=min(500, max(1, seats // N_COURSES)),
                teacher=teacher,
                acting_user=None,
            )
        )
    return term, courses


@dataclass
class Parent:
    phone: str
    user_id: int
    student_id: int
    cookies: dict
    csrf: str = ""
    choices: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def prepare_parents(size: str, term, n: int) -> list[Parent]:
    """N children in the school (first grade to sixth), each with a parent account (role 家长 with
    its "@own" grants, as the phone login creates it), bulk-inserted and rebuilt on every run, each
    signed in by a login (benchlib.login_session: django.contrib.auth.login and its signals, as the
    phone-login view calls it after the SMS code)."""
    from django.conf import settings

    from mofang.platform.accounts.models import Membership, Role, User
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people.models import Guardian, Guardianship, Student

    school = term.school
    prefix = PHONE_PREFIX[size]
    phones = [f"{prefix}{i:07d}" for i in range(n)]
    old_users = User.objects.filter(username__startswith=f"asb_{prefix}_")
    Guardianship.objects.filter(guardian__user__in=old_users).delete()
    Guardian.objects.filter(user__in=old_users).delete()
    Student.objects.filter(student_no__startswith=f"ASB{prefix}").delete()
    Membership.objects.filter(user__in=old_users).delete()
    old_users.delete()
    classes = list(OrgUnit.objects.filter(path__startswith=school.path, kind=OrgKind.CLASS).order_by("path"))
    role = Role.objects.get(code="parent")
    # the bench province's root (the database may hold other trees: the phone login's "root of the
    # tree" is this one in a deployment with one province)
    root = OrgUnit.objects.get(path=school.path[: OrgUnit.steplen])
    users = User.objects.bulk_create(
        [
            User(username=f"asb_{prefix}_{i}", phone=p, full_name=f"基准家长{i}", password="!")
            for i, p in enumerate(phones)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create([Membership(user=u, role=role, org=root) for u in users], batch_size=2000)
    guardians = Guardian.objects.bulk_create([Guardian(name=u.full_name, user=u) for u in users], batch_size=2000)
    students = Student.objects.bulk_create(
        [
            Student(
                student_no=f"ASB{prefix}{i:08d}",
                name=f"基准学生{i}",
                sex="M",
                birth_date=dt.date(2016, 3, 1),
                school=school,
                klass=classes[i % len(classes)] if classes else None,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    Guardianship.objects.bulk_create(
        [Guardianship(guardian=g, student=s) for g, s in zip(guardians, students)], batch_size=2000
    )
    out = []
    for u, s in zip(users, students):
        cookies = benchlib.login_session(u)  # a login, as the phone-login view makes it
        csrf = "".join(secrets.choice(CSRF_CHARS) for _ in range(32))  # an unmasked secret, as the cookie holds
        cookies[settings.CSRF_COOKIE_NAME] = csrf
        out.append(Parent(u.phone, u.pk, s.pk, cookies, csrf))
    return out


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Surge:
    post: Stats
    seconds: float
    unexpected: list
    cores: tuple = (0.0, 0.0)


async def surge_phase(port: int, clients: int, parents: list[Parent]) -> Surge:
    post = Stats()
    unexpected: list[str] = []
    origin = f"http://127.0.0.1:{port}"

    async def select(p: Parent, course_id: int):
        path = f"/afterschool/select/{p.student_id}/"
        body = f"action=select&course={course_id}".encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + path,
            "X-CSRFToken": p.csrf,
            "HX-Request": "true",
        }
        status, _h, answer = await timed_request(
            post, port, "POST", path, headers=headers, body=body, cookies=dict(p.cookies)
        )
        if status == 200 and ACCEPTED in answer:
            p.accepted.append(course_id)
        elif status == 400 and any(m in answer for m in REFUSALS):
            p.refused.append(course_id)
        elif status is not None:
            unexpected.append(f"POST {path} course {course_id}: HTTP {status} {answer[:200]!r}")

    async def one(k: int):
        for i in range(k, len(parents), clients):
            for course_id in parents[i].choices:
                await select(parents[i], course_id)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(clients)))
    return Surge(post, time.perf_counter() - t0, unexpected)


@dataclass
class Run:
    trivial: Stats
    trivial_parent: Stats
    surge: Surge
    trivial_parent_after: Stats


async def load(port: int, master: int, args, parents) -> Run:
    await get_phase(port, args.workers * 2, 4, [TRIVIAL_PATH])  # warm-up
    trivial = await metered(get_phase(port, args.clients, args.requests, [TRIVIAL_PATH]), master)
    print(f"  trivial page: {trivial.count:,} requests in {trivial.seconds:.2f}s")
    # the same page for the logged-in parents: what a session costs (load, user, roles) before any selection
    trivial_parent = await metered(
        get_phase(port, args.clients, args.requests, [TRIVIAL_PATH], [p.cookies for p in parents]), master
    )
    print(f"  trivial page, logged-in parents: {trivial_parent.count:,} requests in {trivial_parent.seconds:.2f}s")
    surge = await metered(surge_phase(port, args.clients, parents), master)
    print(f"  selection surge: {surge.post.count:,} POSTs in {surge.seconds:.2f}s")
    after = await metered(
        get_phase(port, args.clients, args.requests, [TRIVIAL_PATH], [p.cookies for p in parents]), master
    )
    print(f"  trivial page, logged-in parents, after the surge: {after.count:,} requests in {after.seconds:.2f}s")
    return Run(trivial, trivial_parent, surge, after)


# --- the count and the table ------------------------------------------------------------------


def report(args, run: Run, term, parents) -> int:
    from django.db.models import Count, Q

    from mofang.resources.afterschool.models import Course, Selection, SelectionStatus

    surge = run.surge
    confirmed = Selection.objects.filter(term=term, status=SelectionStatus.CONFIRMED)
    stored = {(s, c) for s, c in confirmed.values_list("student_id", "course_id")}
    answered = {(p.student_id, c) for p in parents for c in p.accepted}
    refused = {(p.student_id, c) for p in parents for c in p.refused}
    courses = list(
        Course.objects.filter(term=term).annotate(
            n=Count("selections", filter=Q(selections__status=SelectionStatus.CONFIRMED))
        )
    )
    oversold = [c.name for c in courses if c.n > c.capacity]
    counter_off = [c.name for c in courses if c.n != c.taken]
    full = sum(1 for c in courses if c.taken == c.capacity)
    lost = answered - stored
    phantom = stored - answered
    refused_stored = refused & stored
    by_child: dict[int, list] = {}
    slots = {c.pk: (c.weekday, c.period_from, c.period_to) for c in courses}
    for s, c in stored:
        by_child.setdefault(s, []).append(slots[c])
    over_limit = [s for s, xs in by_child.items() if len(xs) > term.max_courses]
    clashing = [
        s
        for s, xs in by_child.items()
        if any(a is not b and a[0] == b[0] and a[1] <= b[2] and b[1] <= a[2] for a in xs for b in xs)
    ]
    n_answers = len(answered) + len(refused)
    pages = (run.trivial, run.trivial_parent, run.trivial_parent_after)
    server_errors = surge.post.server_errors + sum(s.server_errors for s in pages)
    unexpected = surge.unexpected + surge.post.errors + [e for s in pages for e in s.errors]
    checks = [
        ("courses over capacity", f"{len(oversold)} / {len(courses)}", not oversold),
        (
            "seat counter = confirmed selections, every course",
            f"{len(courses) - len(counter_off)} / {len(courses)}",
            not counter_off,
        ),
        ("accepted answers = selections stored", f"{len(answered):,} = {len(stored):,}", len(answered) == len(stored)),
        ("lost (accepted, not stored)", f"{len(lost):,}", not lost),
        ("stored without an accepted answer", f"{len(phantom):,}", not phantom),
        ("refused but stored", f"{len(refused_stored):,}", not refused_stored),
        (
            "every request answered (accepted or refused)",
            f"{n_answers:,} / {len(parents) * PER_PARENT:,}",
            n_answers == len(parents) * PER_PARENT,
        ),
        (
            "children over the limit / in clashing courses",
            f"{len(over_limit)} / {len(clashing)}",
            not over_limit and not clashing,
        ),
        ("5xx and broken connections", f"{server_errors:,}", server_errors == 0),
        ("unexpected answers", f"{len(unexpected):,}", not unexpected),
    ]
    sel_rate = surge.post.count / surge.seconds
    trivial_rate = run.trivial.count / run.trivial.seconds
    table = [
        table_row(f"trivial page GET {TRIVIAL_PATH}", run.trivial),
        table_row(f"trivial page GET {TRIVIAL_PATH}, logged-in parents", run.trivial_parent),
        table_row(f"selection POST (htmx), {args.clients} clients", surge.post, surge.seconds, surge.cores),
        [
            "  of which accepted (seat taken)",
            len(answered),
            surge.seconds,
            len(answered) / surge.seconds,
            "",
            "",
            "",
            "",
            "",
        ],
        table_row(f"trivial page GET {TRIVIAL_PATH}, logged-in parents, after", run.trivial_parent_after),
    ]
    print()
    benchlib.print_table(
        [
            "endpoint",
            "requests",
            "seconds",
            "per s",
            "p50 ms",
            "p99 ms",
            "load-gen cores",
            "server cores",
            "server CPU ms/req",
        ],
        table,
    )
    print(
        f"(cores: CPU seconds used during the phase ÷ its wall time, of {os.cpu_count()}; PostgreSQL and other "
        f"processes take the rest. Server CPU ms/req: the server's CPU seconds ÷ requests)"
    )
    print()
    minute = len(parents) * PER_PARENT / sel_rate
    signed_in_rate = faster_rate(run.trivial_parent, run.trivial_parent_after)
    ratio_signed_in = sel_rate / signed_in_rate
    verdict = "PASS" if ratio_signed_in >= SIGNED_IN_TARGET else "FAIL"
    benchlib.print_table(
        ["target", "measured", "target", "verdict"],
        [
            [
                "selection POSTs/s ÷ signed-in trivial requests/s, the faster phase (issue 17)",
                f"{ratio_signed_in:.1%}",
                f"≥ {SIGNED_IN_TARGET:.0%}",
                verdict,
            ]
        ],
    )
    print()
    # the moonshot: what 667 selections/s would take, from this run's own CPU per selection
    goal_rate = MOONSHOT_PARENTS * PER_PARENT / MOONSHOT_SECONDS
    server_ms = 1000 * surge.cores[1] * surge.seconds / surge.post.count if surge.post.count else 0.0
    budget_ms = 2 * 1000 / goal_rate  # both cores, nothing left for PostgreSQL or the load generator
    benchlib.print_table(
        ["figure", "measured"],
        [
            ["selection POSTs/s ÷ anonymous trivial requests/s", f"{sel_rate / trivial_rate:.1%}"],
            ["selection POST p99", f"{surge.post.pct(0.99):,.0f} ms"],
            [f"time for {len(parents):,} parents × {PER_PARENT} selections", f"{minute:,.0f} s"],
            ["courses filled to capacity", f"{full} / {len(courses)}"],
            [
                f"moonshot: {MOONSHOT_PARENTS:,} parents × {PER_PARENT} within {MOONSHOT_SECONDS} s",
                f"{goal_rate:,.0f} selections/s needed; {sel_rate:,.1f}/s measured ({sel_rate / goal_rate:.1%}); "
                f"{MOONSHOT_PARENTS * PER_PARENT / sel_rate:,.0f} s here",
            ],
            [
                "moonshot: server CPU per selection → cores for 667/s",
                f"{server_ms:.1f} ms → {goal_rate * server_ms / 1000:.1f} cores of server alone "
                f"(2 cores allow {budget_ms:.1f} ms for server + PostgreSQL together)",
            ],
        ],
    )
    print()
    benchlib.print_table(
        ["check (from the database)", "measured", "ok"],
        [[name, value, "yes" if ok else "NO"] for name, value, ok in checks],
    )
    for line in unexpected[:10]:
        print("  !", line)
    if args.smoke:
        print("(smoke size: the timing figures are informative only)")
    ok = all(ok for _n, _v, ok in checks)
    out = benchlib.write_json(
        "course_selection_surge",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "smoke": args.smoke,
            "workers": args.workers,
            "clients": args.clients,
            "parents": len(parents),
            "per_parent": PER_PARENT,
            "courses": len(courses),
            "seats": sum(c.capacity for c in courses),
            "trivial_per_s": round(trivial_rate, 1),
            "trivial_parent_per_s": round(run.trivial_parent.count / run.trivial_parent.seconds, 1),
            "trivial_parent_after_per_s": round(run.trivial_parent_after.count / run.trivial_parent_after.seconds, 1),
            "selection_per_s": round(sel_rate, 1),
            "selection_vs_trivial": round(sel_rate / trivial_rate, 4),
            "selection_vs_signed_in_trivial": round(ratio_signed_in, 4),
            "target_vs_signed_in_trivial": SIGNED_IN_TARGET,
            "verdict_vs_signed_in_trivial": verdict,
            "server": args.server,
            "threads": args.threads if args.server == "gthread" else 1,
            "server_cpu_ms_per_selection": round(server_ms, 2),
            "cores_for_moonshot": round(goal_rate * server_ms / 1000, 2),
            "selection_p50_ms": round(surge.post.pct(0.5), 1),
            "selection_p99_ms": round(surge.post.pct(0.99), 1),
            "seconds_for_all": round(minute, 1),
            "statuses": {
                "trivial": run.trivial.statuses,
                "trivial_parent": run.trivial_parent.statuses,
                "trivial_parent_after": run.trivial_parent_after.statuses,
                "post": surge.post.statuses,
            },
            "checks": [{"check": n, "measured": v, "ok": o} for n, v, o in checks],
            "problems": unexpected[:50],
        },
    )
    print(f"results: {out.relative_to(benchlib.REPO)}")
    if not ok:
        print("FAILED: the database count does not match the answers (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
