"""Benchmark: the case engine's overdue scan (到期提醒与逾期升级) over a million open cases.

Builds, with COPY, N open cases of a bench case type across the counties of the bench province:
a third past their deadline, a third due within the reminder window, a third due next month.
Each county has an administrator who holds the type's claim role, so the scan's digests (inbox
and SMS) go to real people. Then, in one run:

- the scan over a small set (the first 1,000 cases alone) and over all N — the time, the cases it
  acted on per second, and its query count, which must not grow with the number of cases;
- the scan again at the same moment — idempotent: nothing reminded or escalated twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mofang_bench python bench/overdue_scan.py
    python bench/overdue_scan.py --cases 200000
    python bench/overdue_scan.py --smoke        # 5,000 cases, for CI
"""

import argparse
import datetime as dt
import os
import sys
import time

import benchlib

TYPE_CODE = "bench.overdue"
SMALL = 1_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="open cases (default 1,000,000)")
    parser.add_argument("--smoke", action="store_true", help="5,000 cases in the small tree, for CI")
    args = parser.parse_args()
    n = 5_000 if args.smoke else args.cases

    benchlib.setup_django()
    from django.db import connection
    from django.utils import timezone

    from mofang.platform.cases import overdue
    from mofang.platform.cases.models import Case, CaseEvent

    size = "smoke" if args.smoke else "full"
    root, _schools = benchlib.bench_tree(size)
    ct = register_type()
    counties = county_admins(root)
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · {n:,} open cases · {len(counties)} counties"
    )

    now = timezone.now().replace(microsecond=0)
    results: dict = {}
    with benchlib.timed(f"COPY {n:,} open cases", results):
        purge()
        build_cases(ct, root, counties, n, now)
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_case")

    # the first 1,000 cases alone: the others are moved out of the scan's way for this pass
    runs = []
    first_ids = list(Case.objects.filter(case_type=TYPE_CODE).order_by("pk").values_list("pk", flat=True)[:SMALL])
    parked = Case.objects.filter(case_type=TYPE_CODE).exclude(pk__in=first_ids).update(case_type=TYPE_CODE + ".parked")
    # (a second earlier: the scan marks "acted on at <now>", so two scans need two moments)
    runs.append(timed_scan(overdue, now - dt.timedelta(seconds=1), SMALL, "scan, first 1,000 cases"))
    Case.objects.filter(case_type=TYPE_CODE + ".parked").update(case_type=TYPE_CODE)
    assert parked == n - SMALL
    runs.append(timed_scan(overdue, now, n, f"scan, all {n:,} cases"))
    runs.append(timed_scan(overdue, now, n, "scan again (same moment)"))

    print()
    benchlib.print_table(
        ["run", "open cases", "seconds", "reminded", "escalated", "acted on/s", "queries"],
        [
            [
                r["label"],
                r["cases"],
                r["seconds"],
                r["reminded"],
                r["escalated"],
                (r["reminded"] + r["escalated"]) / r["seconds"] if r["seconds"] else 0.0,
                r["queries"],
            ]
            for r in runs
        ],
    )

    small, full, again = runs
    expected_escalated = sum(1 for i in range(n) if i % 3 == 0)
    expected_reminded = sum(1 for i in range(n) if i % 3 == 1)
    events = CaseEvent.objects.filter(case__case_type=TYPE_CODE).count()
    checks = [
        (
            "queries do not grow with the cases (1,000 vs all)",
            f"{small['queries']} vs {full['queries']}",
            full["queries"] <= small["queries"],
        ),
        (
            "escalated once: every overdue case",
            f"{small['escalated'] + full['escalated']:,} / {expected_escalated:,}",
            small["escalated"] + full["escalated"] == expected_escalated,
        ),
        (
            "reminded once: every case due within the window",
            f"{small['reminded'] + full['reminded']:,} / {expected_reminded:,}",
            small["reminded"] + full["reminded"] == expected_reminded,
        ),
        (
            "second scan at the same moment changes nothing",
            f"{again['reminded'] + again['escalated']}",
            again["reminded"] + again["escalated"] == 0,
        ),
        ("one timeline event per case acted on", f"{events:,}", events == expected_escalated + expected_reminded),
    ]
    print()
    benchlib.print_table(["check", "measured", "ok"], [[c, m, "yes" if ok else "NO"] for c, m, ok in checks])
    benchlib.write_json(
        "overdue_scan",
        {"cases": n, "runs": runs, "checks": [{"check": c, "measured": m, "ok": ok} for c, m, ok in checks]},
    )
    purge()
    return 0 if all(ok for _c, _m, ok in checks) else 1


def register_type():
    """A bench case type: open → handling → closed, deadlines by severity, a reminder an hour
    before the deadline, escalation to the unit above when overdue, SMS to the claim role."""
    from mofang.platform.cases import registry as r

    hour = dt.timedelta(hours=1)
    ct = r.CaseType(
        code=TYPE_CODE,
        name="基准案件",
        number_prefix="JZ",
        initial="open",
        states=(
            r.State("open", "待认领", deadline={"high": 2 * hour, "normal": 24 * hour}),
            r.State("handling", "处置中", deadline={"high": 24 * hour, "normal": 72 * hour}),
            r.State("closed", "已办结", r.CLOSED_FIXED),
        ),
        transitions=(
            r.Transition("start", "开始处置", ("open",), "handling", role="county_admin"),
            r.Transition("close", "办结", ("handling",), "closed", role="county_admin", at=r.REPORTING),
        ),
        claim_role="county_admin",
        remind_before=hour,
        escalation=r.Escalation(r.TO_PARENT_UNIT),
        sms=True,
        reporter_confirms=True,
    )
    r.CASE_TYPES.pop(TYPE_CODE, None)
    return r.register_case_type(ct)


def county_admins(root) -> list:
    """[(county, admin user)] — one administrator per county of the bench province."""
    from mofang.platform.accounts.models import Membership, Role, User
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    role = Role.objects.get(code="county_admin")
    out = []
    for county in OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.COUNTY).order_by("path"):
        user, _ = User.objects.get_or_create(
            username=f"bench-admin-{county.code}",
            defaults={"full_name": f"{county.name}管理员", "phone": f"1970{county.code[-6:]}0"[:11]},
        )
        Membership.objects.get_or_create(user=user, role=role, org=county)
        out.append((county, user))
    return out


def build_cases(ct, root, counties, n: int, now) -> None:
    """COPY n open cases: i % 3 == 0 overdue, 1 due within the reminder window, 2 due next month."""
    from mofang.platform.cases.models import Case, StateKind
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    schools_of: dict[str, list[int]] = {}
    for pk, path in OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).values_list("pk", "path"):
        schools_of.setdefault(path[: 3 * OrgUnit.steplen], []).append(pk)
    units = [(county.pk, schools_of[county.path]) for county, _user in counties]
    due = {0: now - dt.timedelta(hours=3), 1: now + dt.timedelta(minutes=30), 2: now + dt.timedelta(days=30)}
    opened = now - dt.timedelta(days=2)
    fields = [
        "case_type",
        "title",
        "description",
        "category",
        "severity",
        "address",
        "public",
        "reporting_org",
        "responsible_org",
        "state",
        "state_kind",
        "state_entered_at",
        "due_at",
        "opened_at",
        "reopened_count",
        "escalation_count",
        "data",
    ]

    def rows():
        for i in range(n):
            county, schools = units[i % len(units)]
            yield (
                TYPE_CODE,
                f"基准案件{i}",
                "",
                "",
                "normal",
                "",
                False,
                schools[i % len(schools)],
                county,
                "open",
                StateKind.OPEN.value,
                opened,
                due[i % 3],
                opened,
                0,
                0,
                "{}",
            )

    benchlib.copy_rows(Case, fields, rows())


def timed_scan(overdue, now, cases: int, label: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        t0 = time.perf_counter()
        out = overdue.scan(now)
        seconds = time.perf_counter() - t0
    print(f"  {label}: {seconds:.2f}s, {len(q.captured_queries)} queries, {out}")
    return {"label": label, "cases": cases, "seconds": seconds, "queries": len(q.captured_queries), **out}


def purge() -> None:
    """Remove the bench's cases, their timeline (append-only: under the purge switch) and digests —
    in SQL, a million rows are not deleted one object at a time."""
    from django.db import connection, transaction

    bench = "SELECT id FROM cases_case WHERE case_type LIKE %s"
    users = "SELECT id FROM accounts_user WHERE username LIKE %s"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL mofang.allow_purge = 'on'")
        for table in ("cases_caseevent", "cases_externalhandoff", "cases_caseattachment"):
            cur.execute(f"DELETE FROM {table} WHERE case_id IN ({bench})", [TYPE_CODE + "%"])
        cur.execute("DELETE FROM cases_case WHERE case_type LIKE %s", [TYPE_CODE + "%"])
        cur.execute(f"DELETE FROM notifications_inboxmessage WHERE recipient_id IN ({users})", ["bench-admin-%"])
        cur.execute(f"DELETE FROM notifications_smsmessage WHERE recipient_id IN ({users})", ["bench-admin-%"])


if __name__ == "__main__":
    sys.exit(main())
