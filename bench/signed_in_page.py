"""Benchmark: what being signed in costs a page, on the real server (issue 17).

The production server — gunicorn with several worker processes on `mofang.wsgi`, the production
settings (DEBUG off, PostgreSQL, Redis as cache and session store when REDIS_URL is set) — on a
free port of 127.0.0.1, under the load generator of registration_surge.py (asyncio, one connection
per request). In one run, each phase C clients × R requests:

  (1) the trivial page, anonymous: GET /enrollment/ (入学早知道 with an empty search: a template and
      no query — the platform's cheapest page);
  (2) the same page signed in, as parents (家长, the phone login's accounts; each client its own);
  (3) the same page signed in, as school principals (校长: a full desk menu; information only);
  (4) an htmx partial signed in: the org tree's children of the principal's school
      (GET /orgs/<id>/children/ with HX-Request, as the tree's expand button asks), which shows no
      shell at all.

Every session is made the way a login makes it (benchlib.login_session: django.contrib.auth.login
on a request through SessionMiddleware, saved by the configured session engine). Printed: each
phase's rate, p50/p99 and the server's CPU per request (gunicorn master and workers, from /proc);
the signed-in page's rate ÷ the anonymous page's, against the target of ≥ 50%. Written to
bench/out/signed_in_page.json. A 5xx, a broken connection, a redirect to the login page or any
status but 200 makes the run exit 1; the ratio never does.

    python bench/signed_in_page.py              # 200 clients × 10 requests a phase, 2×CPU+1 workers
    python bench/signed_in_page.py --clients 100 --requests 20
    python bench/signed_in_page.py --smoke      # 20 clients × 5, 2 workers, for CI
"""

import argparse
import asyncio
import datetime as dt
import os
import time

import benchlib
from registration_surge import Server, Stats, metered, timed_request

RATE_TARGET = 0.50
TRIVIAL_PATH = "/enrollment/"
PHONE_PREFIX = {"smoke": "1950", "full": "1940"}  # the bench's parents: never a real subscriber


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument("--requests", type=int, default=10, help="requests per client and phase (default 10)")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn worker processes (default 2×CPU+1)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="the phases run this many times, best kept (default 2)")
    parser.add_argument("--smoke", action="store_true", help="20 clients × 5 requests, 2 workers, one round, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.requests, args.workers, args.rounds = 20, 5, 2, 1
    size = "smoke" if args.smoke else "full"

    benchlib.setup_django()
    from django.conf import settings
    from django.db import connection

    cache = settings.CACHES["default"]
    cache_name = ("Redis " + cache["LOCATION"]) if "redis" in cache["BACKEND"].lower() else "本地内存（每个进程各一份）"
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · cache {cache_name} · sessions {settings.SESSION_ENGINE}"
    )
    print(f"  gunicorn {args.workers} workers · {args.clients} clients × {args.requests} requests a phase")
    results: dict[str, float] = {}
    with benchlib.timed(f"{args.clients} parents and {args.clients} principals signed in", results):
        parents, principals = prepare_users(size, args.clients)
    connection.close()

    server = Server(args.workers)
    try:
        server.start()
        print(f"  server: gunicorn mofang.wsgi on 127.0.0.1:{server.port}")
        runs = asyncio.run(load(server.port, server.proc.pid, args, parents, principals))
    finally:
        server.stop()
    return report(args, runs, cache_name, settings.SESSION_ENGINE)


def prepare_users(size: str, n: int):
    """N parents (the phone login's own service makes the account: role 家长 at the root) and N
    principals (校长 at the bench province's schools), each with a new session made by a login;
    returns [(cookies, path)] for each: the trivial page, and for a principal the htmx partial."""
    from mofang.platform.accounts.models import Membership, Role, User
    from mofang.platform.accounts.phone import parent_user_for
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    root, _schools = benchlib.bench_tree(size)
    phones = [f"{PHONE_PREFIX[size]}{i:07d}" for i in range(n)]
    users = {u.phone: u for u in User.objects.filter(phone__in=phones, is_active=True).order_by("-pk")}
    parents = [benchlib.login_session(users.get(p) or parent_user_for(p)) for p in phones]
    schools = list(OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).order_by("path"))
    role = Role.objects.get(code="principal")
    principals = []
    for i in range(n):
        school = schools[i % len(schools)]
        user, _ = User.objects.get_or_create(
            username=f"sip-{root.code}-{i}", defaults={"full_name": f"基准校长{i}", "must_change_password": False}
        )
        Membership.objects.get_or_create(user=user, role=role, org=school)
        principals.append((benchlib.login_session(user), f"/orgs/{school.pk}/children/"))
    return parents, principals


async def phase(port: int, clients: int, per_client: int, jobs: list, headers: dict | None = None) -> Stats:
    """Each client k GETs its path `per_client` times in turn with its cookies (jobs[k]: (cookies,
    path), cookies None for anonymous); any answer but 200 is an error."""
    stats = Stats()

    async def one(k: int):
        cookies, path = jobs[k % len(jobs)]
        for _ in range(per_client):
            status, _h, _b = await timed_request(stats, port, "GET", path, cookies=cookies, headers=headers)
            if status is not None and status != 200:
                stats.errors.append(f"GET {path}: HTTP {status}")

    t0 = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(clients)))
    stats.seconds = time.perf_counter() - t0
    return stats


HX = {"HX-Request": "true", "HX-Target": "children"}


async def load(port: int, master: int, args, parents, principals) -> list[dict]:
    anon = [(None, TRIVIAL_PATH)]
    parent_jobs = [(c, TRIVIAL_PATH) for c in parents]
    principal_jobs = [(c, TRIVIAL_PATH) for c, _p in principals]
    # warm-up, not measured: every worker imports its templates, fills its menus and the caches
    for jobs, headers in ((anon, None), (parent_jobs, None), (principal_jobs, None), (principals, HX)):
        await phase(port, len(jobs), 2, jobs, headers)
    runs = []
    for r in range(args.rounds):
        run = {}
        for name, jobs, headers in (
            ("anonymous", anon, None),
            ("parents", parent_jobs, None),
            ("principals", principal_jobs, None),
            ("partial", principals, HX),
        ):
            run[name] = await metered(phase(port, args.clients, args.requests, jobs, headers), master)
        runs.append(run)
        print(
            f"  round {r + 1}: "
            + " · ".join(f"{k} {st.count / st.seconds:,.0f}/s" for k, st in run.items())
            + f" · signed-in ÷ anonymous {rate(run['parents']) / rate(run['anonymous']):.1%}"
        )
    return runs


def rate(st: Stats) -> float:
    return st.count / st.seconds if st.seconds else 0.0


def cpu_ms(st: Stats) -> float:
    """The server's CPU per request: its cores during the phase × the phase's wall time ÷ requests."""
    return st.cores[1] * st.seconds / st.count * 1000 if st.count else float("nan")


def report(args, runs: list[dict], cache_name: str, engine: str) -> int:
    # the round whose signed-in ÷ anonymous ratio is the median (the machine is shared: ±10%)
    runs_sorted = sorted(runs, key=lambda run: rate(run["parents"]) / rate(run["anonymous"]))
    run = runs_sorted[len(runs_sorted) // 2]
    labels = {
        "anonymous": f"trivial page GET {TRIVIAL_PATH}, anonymous",
        "parents": f"trivial page GET {TRIVIAL_PATH}, signed in (家长)",
        "principals": f"trivial page GET {TRIVIAL_PATH}, signed in (校长, full menu)",
        "partial": "htmx partial GET /orgs/<id>/children/, signed in (校长)",
    }
    table = [
        [
            labels[k],
            st.count,
            st.seconds,
            rate(st),
            st.pct(0.5),
            st.pct(0.99),
            f"{cpu_ms(st):.2f}",
            f"{st.cores[1]:.2f}",
        ]
        for k, st in run.items()
    ]
    print()
    benchlib.print_table(
        ["request", "requests", "seconds", "per s", "p50 ms", "p99 ms", "server CPU ms/req", "server cores"], table
    )
    print(f"(server CPU: gunicorn master and workers, from /proc; of {os.cpu_count()} cores, PostgreSQL and Redis")
    print(" and the load generator take the rest)")
    ratio = rate(run["parents"]) / rate(run["anonymous"])
    ratio_partial = rate(run["partial"]) / rate(run["anonymous"])
    print()
    benchlib.print_table(
        ["ratio", "measured", "target", "verdict"],
        [
            [
                "signed-in trivial page ÷ anonymous trivial page",
                f"{ratio:.1%}",
                f"≥ {RATE_TARGET:.0%}",
                "PASS" if ratio >= RATE_TARGET else "FAIL",
            ],
            ["signed-in htmx partial ÷ anonymous trivial page", f"{ratio_partial:.1%}", "(info)", ""],
            [
                "server CPU per request, signed-in ÷ anonymous",
                f"{cpu_ms(run['parents']) / cpu_ms(run['anonymous']):.2f}×",
                "(info)",
                "",
            ],
        ],
    )
    errors = [e for r in runs for st in r.values() for e in st.errors]
    server_errors = sum(st.server_errors for r in runs for st in r.values())
    print()
    benchlib.print_table(
        ["check", "measured", "ok"],
        [
            ["5xx and broken connections", f"{server_errors:,}", "yes" if not server_errors else "NO"],
            ["answers other than 200 (incl. a redirect to 登录)", f"{len(errors):,}", "yes" if not errors else "NO"],
        ],
    )
    for line in errors[:10]:
        print("  !", line)
    if args.smoke:
        print("(smoke size: the ratio is informative only)")
    out = benchlib.write_json(
        "signed_in_page",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "smoke": args.smoke,
            "workers": args.workers,
            "clients": args.clients,
            "requests_per_client": args.requests,
            "cache": cache_name,
            "session_engine": engine,
            "rounds": [
                {
                    k: {
                        "requests": st.count,
                        "per_s": round(rate(st), 1),
                        "p50_ms": round(st.pct(0.5), 1),
                        "p99_ms": round(st.pct(0.99), 1),
                        "server_cpu_ms": round(cpu_ms(st), 3),
                    }
                    for k, st in r.items()
                }
                for r in runs
            ],
            "ratio": round(ratio, 4),
            "target": RATE_TARGET,
            "errors": errors[:50],
        },
    )
    print(f"written to {out.relative_to(benchlib.REPO)}")
    return 1 if errors or server_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
