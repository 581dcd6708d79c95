"""Benchmark: on the embedded SQLite, do logins and token API calls get in while a big import writes?

A student roll of N rows (default 50,000) is imported by `import_file` in a subprocess (as the
worker would), into a fresh SQLite database with the production settings; meanwhile this process
signs in through the login page and calls the token API (`/api/students/`) every 0.2 s, and
records how long each took and what it answered. Printed, and written to
bench/out/sqlite_import_lock.json.

    python bench/sqlite_import_lock.py                 # 50,000 rows
    python bench/sqlite_import_lock.py --rows 20000
    python bench/sqlite_import_lock.py --smoke         # 3,000 rows, for CI

Exits 1 if the import did not write every row, or any login or API call failed or took longer
than --limit seconds (default 5; not enforced at smoke size).
"""

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import benchlib  # noqa: E402  (after the path is set)

PASSWORD = "Mofang#2026"


def _setup(data_dir: Path) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "MOFANG_SQLITE_PATH", "MOFANG_S3_BUCKET"):
        os.environ.pop(name, None)
    os.environ["MOFANG_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mofang.settings"
    os.environ.setdefault("MOFANG_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def child(data_dir: Path, csv_path: Path, username: str) -> int:
    """The import, as the worker runs it; prints its result and the wall-clock window of its write."""
    _setup(data_dir)
    from mofang.platform.accounts.models import User
    from mofang.platform.imports.base import ImportContext
    from mofang.platform.imports.services import import_file
    from mofang.platform.people.importers import StudentImporter

    user = User.objects.get(username=username)
    org = user.memberships.get().org
    started = time.time()
    result = import_file(StudentImporter(), str(csv_path), csv_path.name, ImportContext(user=user, org=org))
    ended = time.time()
    print(
        json.dumps(
            {
                "started": started,
                "ended": ended,
                "write_from": ended - result.get("seconds", {}).get("write", 0),
                "created": result["created"],
                "errors": result["error_count"],
                "seconds": result.get("seconds"),
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--smoke", action="store_true", help="3,000 rows, for CI")
    parser.add_argument("--limit", type=float, default=5.0, help="seconds a login or API call may take")
    parser.add_argument("--alone", action="store_true", help="no logins or API calls: the import's own time")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = benchlib.OUT / "sqlite-lock"
    if args.child:
        return child(data_dir, Path(args.child[0]), args.child[1])
    rows = 3_000 if args.smoke else args.rows

    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    _setup(data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from student_import import generate_csv

    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.testing import make_user

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(
        f"SQLite {connection.Database.sqlite_version} · {os.cpu_count()} CPU · rows {rows:,} · migrated in {time.perf_counter() - t0:.0f}s"
    )
    root, schools = benchlib.bench_tree("smoke")
    importer = benchlib.bench_user(root)
    school = OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).first()
    make_user("bench-teacher", "teacher", school, password=PASSWORD)
    token = Token.objects.create(
        user=make_user(
            "bench-api", "county_admin", OrgUnit.objects.get(path=school.path[: -OrgUnit.steplen]), password=PASSWORD
        )
    ).key
    csv_path = benchlib.OUT / f"sqlite-lock-students-{rows}.csv"
    if not csv_path.exists():
        generate_csv(csv_path, rows, schools, 20260901)
    # one request of each before the import, so that start-up (URLconf, templates) is not timed
    Client().post("/accounts/login/", {"username": "bench-teacher", "password": PASSWORD})
    Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/students/?page_size=1")
    connection.close()

    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(csv_path), importer.username],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    calls: list[tuple[float, str, float, str]] = []  # (at, kind, seconds, outcome)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    turn = 0
    while proc.poll() is None:
        if args.alone:
            time.sleep(0.2)
            continue
        turn += 1
        kind = "login" if turn % 2 else "api"
        at = time.time()
        t = time.perf_counter()
        try:
            if kind == "login":
                r = Client().post("/accounts/login/", {"username": "bench-teacher", "password": PASSWORD})
                ok = r.status_code == 302
            else:
                r = api.get("/api/students/?page_size=1")
                ok = r.status_code == 200
            outcome = "ok" if ok else f"HTTP {r.status_code}"
        except Exception as exc:
            outcome = f"{type(exc).__name__}: {exc}"[:120]
        calls.append((at, kind, time.perf_counter() - t, outcome))
        connection.close()
        time.sleep(0.2)
    out = json.loads(proc.stdout.read().strip().splitlines()[-1])
    if out["errors"] or out["created"] != rows:
        print("the import did not write every row:", out)
        return 1

    def summary(label, sel):
        lat = sorted(c[2] for c in sel)
        failed = [c for c in sel if c[3] != "ok"]
        return [
            label,
            len(sel),
            f"{lat[len(lat) // 2]:.2f}" if lat else "-",
            f"{lat[-1]:.2f}" if lat else "-",
            len(failed),
        ], failed

    table, failures = [], []
    during = [c for c in calls if out["write_from"] <= c[0] + c[2] and c[0] <= out["ended"]]
    for label, sel in (
        ("logins, whole import", [c for c in calls if c[1] == "login"]),
        ("API calls, whole import", [c for c in calls if c[1] == "api"]),
        ("logins, during the write step", [c for c in during if c[1] == "login"]),
        ("API calls, during the write step", [c for c in during if c[1] == "api"]),
    ):
        row, failed = summary(label, sel)
        table.append(row)
        failures += failed
    sec = out["seconds"]
    print(
        f"  import: {rows:,} rows in {out['ended'] - out['started']:.1f}s (validate {sec['validate']:.1f}s, write {sec['write']:.1f}s)"
    )
    benchlib.print_table(["requests", "n", "median s", "max s", "failed"], table)
    for c in failures[:5]:
        print("  failed:", c[1], f"{c[2]:.1f}s", c[3])
    slowest = max((c[2] for c in calls), default=0.0)
    benchlib.write_json(
        "sqlite_import_lock",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "rows": rows,
            "import_seconds": round(out["ended"] - out["started"], 2),
            "phases": sec,
            "requests": [dict(zip(["what", "n", "median_s", "max_s", "failed"], r, strict=True)) for r in table],
            "slowest_s": round(slowest, 2),
        },
    )
    if args.smoke or args.alone:
        return 0 if not failures else 1
    return 0 if not failures and slowest <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
