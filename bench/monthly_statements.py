"""Benchmark: the time bank's monthly run (一月一反馈) for a province.

Builds, once, with COPY: a bank at every school of the bench province, ~100,000 teachers with a
phone and an account each, and last month's records for every teacher — substitution lessons and
after-school duty with their ledger credits, a credit the month before (so opening balances are
not zero) and approved leave with its debit for one teacher in ten. Runs the month before (not
timed: the statements whose closing balances open this month, as every month's run leaves them),
then times `generate_all_monthly_statements(month)` — statements, published balance lists, an SMS
per teacher, audit rows — and prints statements per second; then runs it again (nothing changed:
no rows rewritten, no SMS), times that too and prints the re-run's cost as a share of the first
run (target < 10%).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mofang_bench python bench/monthly_statements.py
    python bench/monthly_statements.py --teachers 20000
    python bench/monthly_statements.py --smoke        # 500 teachers, for CI
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal

import benchlib

SUBSTITUTIONS, DUTIES = 3, 3  # records per teacher in the month
RERUN_TARGET = 0.10  # a re-run with nothing changed costs under 10% of a first run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teachers", type=int, default=100_000, help="teachers in the province (default 100,000)")
    parser.add_argument("--smoke", action="store_true", help="500 teachers in a small tree, for CI")
    parser.add_argument("--seed", type=int, default=20261001)
    args = parser.parse_args()
    teachers = 500 if args.smoke else args.teachers

    benchlib.setup_django()
    from django.db import connection

    from mofang.governance.timebank.models import Bank
    from mofang.governance.timebank.services import generate_all_monthly_statements, previous_month
    from mofang.governance.timebank.services.common import month_bounds, today

    size = "smoke" if args.smoke else "full"
    root, _schools = benchlib.bench_tree(size)
    month = previous_month(today())
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · teachers {teachers:,} · month {month}"
    )
    others = Bank.objects.exclude(benchlib.bench_q("school__path")).count()
    if others:
        print(f"  note: {others} banks outside the bench province are in this database; the run covers them too")

    built = build_time_bank(root, teachers, month, args.seed)
    if built is None:
        return 1
    before = previous_month(month_bounds(month)[0])
    t0 = time.perf_counter()
    prior = generate_all_monthly_statements(before)
    print(f"  the month before ({before}, not timed): {prior['message']} in {time.perf_counter() - t0:.2f}s")
    reset_month(root, month)
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load, at once
        for table in ("timebank_ledgerentry", "timebank_account", "timebank_monthlystatement"):
            cursor.execute(f"ANALYZE {table}")

    t0 = time.perf_counter()
    first = generate_all_monthly_statements(month)
    first_s = time.perf_counter() - t0
    print(f"  first run: {first['message']} in {first_s:.2f}s")
    with connection.cursor() as cursor:  # autovacuum's analyze after 100,000 new rows, at once
        cursor.execute("ANALYZE timebank_monthlystatement")
    t0 = time.perf_counter()
    again = generate_all_monthly_statements(month)
    again_s = time.perf_counter() - t0
    print(f"  re-run:    {again['message']} in {again_s:.2f}s")
    if first["created"] < teachers or again["created"] or again["updated"] or again["sms"]:
        print("unexpected counts: every teacher needs a new statement the first time, and nothing changes after")
        return 1

    print()
    table = [
        [
            "first run (new statements, SMS)",
            first["banks"],
            first["statements"],
            first_s,
            first["statements"] / first_s,
        ],
        ["re-run (nothing changed)", again["banks"], again["statements"], again_s, again["statements"] / again_s],
    ]
    benchlib.print_table(["monthly statements", "banks", "statements", "seconds", "statements/s"], table)
    share = again_s / first_s
    verdict = "PASS" if share < RERUN_TARGET else "FAIL"
    print()
    benchlib.print_table(
        ["target", "measured", "target", "verdict"],
        [["re-run (nothing changed) / first run", f"{share:.1%}", f"< {RERUN_TARGET:.0%}", verdict]],
    )
    if args.smoke:
        print("(smoke size: the target is informative only)")
    out = benchlib.write_json(
        "monthly_statements",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "teachers": teachers,
            "month": month,
            "smoke": args.smoke,
            "cpus": os.cpu_count(),
            "postgres": connection.pg_version,
            "data": built,
            "rerun_share": round(share, 4),
            "target": {"rerun_share": RERUN_TARGET},
            "verdict": verdict,
            "runs": [
                {"run": name, "banks": b, "statements": n, "seconds": round(s, 3), "statements_per_s": round(r)}
                for name, b, n, s, r in table
            ],
        },
    )
    print(f"results: {out.relative_to(benchlib.REPO)}")
    return 0


def build_time_bank(root, teachers: int, month: str, seed: int) -> dict | None:
    """Banks, staff, accounts, records and ledger entries for `teachers` teachers, in one transaction."""
    from django.db import transaction
    from django.utils import timezone

    from mofang.governance.timebank.models import (
        Account,
        AfterSchoolDuty,
        Bank,
        LeaveRequest,
        LedgerEntry,
        RateSchedule,
        SubstitutionRecord,
    )
    from mofang.governance.timebank.services import month_bounds
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people import identity
    from mofang.platform.people.identity import Sealer
    from mofang.platform.people.models import Staff

    existing = Account.objects.filter(bank__school__path__startswith=root.path).count()
    if existing == teachers:
        print(f"  reusing the time bank of {teachers:,} teachers built earlier")
        return {"teachers": teachers, "reused": True}
    if existing:
        print(
            f"这个数据库里已有按 {existing:,} 名教师建好的基准数据（分录只能新增，不能删除）；"
            f"请用 --teachers {existing} 或换一个新的数据库"
        )
        return None

    start, end = month_bounds(month)
    before = start - dt.timedelta(days=1)
    opened = before.replace(day=1)
    now = timezone.now()
    rng = random.Random(seed)
    sealer = Sealer()
    schools = list(
        OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL)
        .order_by("path")
        .values_list("id", "code")
    )
    t0 = time.perf_counter()
    counts = {}
    with transaction.atomic():
        bank_ids = benchlib.next_ids(Bank, len(schools))
        benchlib.copy_rows(
            Bank,
            ["id", "school_id", "started_on", "opened_at"],
            ((b, s, opened, now) for b, (s, _code) in zip(bank_ids, schools, strict=True)),
        )
        rates = [
            (b, kind, rate, opened, now)
            for b in bank_ids
            for kind, rate in (("substitution", Decimal("0.5")), ("afterschool", Decimal("1.0")))
        ]
        benchlib.copy_rows(RateSchedule, ["bank_id", "kind", "hours_per_period", "effective_from", "created_at"], rates)

        staff_ids = benchlib.next_ids(Staff, teachers)
        phone = "13800000000"
        sealed_phone, masked_phone = sealer.seal(phone), identity.mask_mobile(phone)
        placed = []  # (staff id, bank id, school code)
        staff_rows = []
        for i, staff_id in enumerate(staff_ids):
            b = i % len(schools)
            school_id, code = schools[b]
            placed.append((staff_id, bank_ids[b]))
            first17 = f"{code[:6]}1985{(i % 12) + 1:02d}{(i // 12) % 28 + 1:02d}{(i // 336) % 1000:03d}"
            idn = first17 + identity.id_check_digit(first17)
            staff_rows.append(
                (
                    staff_id,
                    f"BT{code}{i:07d}",
                    f"教师{i}",
                    "F" if i % 3 else "M",
                    school_id,
                    "教师",
                    "",
                    sealer.seal(idn),
                    sealer.lookup_hash(idn),
                    identity.mask_id_number(idn),
                    # every teacher's own sealed phone, as real rows have (one unseal each)
                    sealer.seal(phone) if i % 50 else sealed_phone,
                    masked_phone,
                )
            )
        benchlib.copy_rows(
            Staff,
            [
                "id",
                "staff_no",
                "name",
                "sex",
                "org_id",
                "position",
                "subject",
                "id_number_sealed",
                "id_number_hash",
                "id_number_masked",
                "phone_sealed",
                "phone_masked",
            ],
            staff_rows,
        )
        del staff_rows

        account_ids = benchlib.next_ids(Account, teachers)
        benchlib.copy_rows(
            Account,
            ["id", "bank_id", "staff_id", "opened_at"],
            ((a, bank, staff, now) for a, (staff, bank) in zip(account_ids, placed, strict=True)),
        )

        subs, duties, leaves, entries = [], [], [], []
        sub_ids = iter(benchlib.next_ids(SubstitutionRecord, teachers * SUBSTITUTIONS))
        duty_ids = iter(benchlib.next_ids(AfterSchoolDuty, teachers * (DUTIES + 1)))
        leave_ids = iter(benchlib.next_ids(LeaveRequest, teachers // 10 + 1))
        days = (end - start).days + 1
        for n, (account, (_staff, bank)) in enumerate(zip(account_ids, placed, strict=True)):
            # last month: one duty, so the month opens with a balance
            d = next(duty_ids)
            duties.append((d, bank, f"BQ{d}", before, 2, Decimal("1.0"), Decimal("2.0"), "", now, account))
            entries.append((account, "credit_afterschool", Decimal("2.0"), before, now, None, d, None, None))
            for _ in range(SUBSTITUTIONS):
                s, day, periods = next(sub_ids), start + dt.timedelta(days=rng.randrange(days)), rng.randint(1, 4)
                hours = Decimal("0.5") * periods
                subs.append((s, bank, f"BS{s}", day, periods, Decimal("0.5"), hours, "", now, account, None))
                entries.append((account, "credit_substitution", hours, day, now, s, None, None, None))
            for _ in range(DUTIES):
                d, day, periods = next(duty_ids), start + dt.timedelta(days=rng.randrange(days)), rng.randint(1, 2)
                hours = Decimal("1.0") * periods
                duties.append((d, bank, f"BT{d}", day, periods, Decimal("1.0"), hours, "", now, account))
                entries.append((account, "credit_afterschool", hours, day, now, None, d, None, None))
            if n % 10 == 0:
                leave, day = next(leave_ids), start + dt.timedelta(days=rng.randrange(days))
                leaves.append((leave, account, "leave", day, Decimal("1.0"), "事假", "approved", now, now, "同意"))
                entries.append((account, "debit_leave", Decimal("-1.0"), day, now, None, None, leave, "抵假"))
        work = ["id", "bank_id", "record_no", "date", "periods", "rate", "hours", "note", "recorded_at", "account_id"]
        benchlib.copy_rows(SubstitutionRecord, [*work, "absent_id"], subs)
        benchlib.copy_rows(AfterSchoolDuty, work, duties)
        benchlib.copy_rows(
            LeaveRequest,
            [
                "id",
                "account_id",
                "kind",
                "date",
                "hours",
                "reason",
                "status",
                "requested_at",
                "decided_at",
                "decision_note",
            ],
            leaves,
        )
        benchlib.copy_rows(
            LedgerEntry,
            [
                "account_id",
                "kind",
                "amount",
                "occurred_on",
                "posted_at",
                "substitution_id",
                "duty_id",
                "leave_id",
                "reason",
            ],
            ((a, k, amt, day, at, s, d, lv, reason or "") for a, k, amt, day, at, s, d, lv, reason in entries),
        )
        counts = {
            "banks": len(schools),
            "teachers": teachers,
            "substitutions": len(subs),
            "duties": len(duties),
            "leaves": len(leaves),
            "ledger_entries": len(entries),
        }
    print(
        f"  built the time bank in {time.perf_counter() - t0:.1f}s: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
    )
    return counts


def reset_month(root, month: str) -> None:
    """Forget the bench banks' statements, publications and SMS of the month, so the first run creates them."""
    from mofang.governance.timebank.models import MonthlyStatement, Publication
    from mofang.platform.notifications.models import SMSMessage

    MonthlyStatement.objects.filter(account__bank__school__path__startswith=root.path, month=month).delete()
    Publication.objects.filter(bank__school__path__startswith=root.path, month=month).delete()
    SMSMessage.objects.filter(org__path__startswith=root.path).delete()


if __name__ == "__main__":
    sys.exit(main())
