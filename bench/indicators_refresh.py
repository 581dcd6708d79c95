"""Benchmark: the indicators' analytics refresh (指标数据刷新) on PostgreSQL at province size.

A bench province of its own (division code 97, smoke 96): cities → counties → schools, then the
records the shipped fact sources count, generated set-based in the database (INSERT … SELECT over
generate_series — 10 million students take minutes, not hours):

  students (people.students, also read by 督学配比达标率), staff (people.teachers), one 时间银行
  per school with accounts for 60% of its staff (timebank.teachers_with_account).

Measured, in one run, through the real task body (refresh.refresh_all, as the worker runs it):

  (1) a full refresh of every fact in use, for the current periods;
  (2) an incremental refresh after C changed records: C new time-bank accounts opened at random
      schools. Sources with change tracking re-collect only those schools and write only the
      totals that changed (the schools and their ancestors); sources without change tracking
      (the student and staff rolls, hazards, 督导) are re-counted in full, so their cost is included.

Checked: the province's totals equal direct counts of the generated rows; after the changes the
time-bank numerator grew by exactly C; the incremental run wrote totals only for changed schools
and their ancestors. Target (issue 6): incremental refresh < 10 s at 10,000,000 students,
20,000 schools, 10,000 changes. Printed, and written to bench/out/indicators_refresh.json.

    python bench/indicators_refresh.py                                 # 10M students, 20,000 schools
    python bench/indicators_refresh.py --students 2000000 --schools 4000
    python bench/indicators_refresh.py --smoke                         # 40 schools, 20,000 students
"""

import argparse
import os
import sys
import time

import benchlib

STAFF_PER_SCHOOL = 40
INCREMENTAL_TARGET_S = 10.0


def build_province(prefix: str, schools: int, students: int, log) -> tuple:
    """The bench province and its records, created once per size (re-runs reuse them)."""
    from django.db import connection, transaction

    from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType

    root = OrgUnit.objects.filter(code=f"{prefix}0000").first()
    if root is not None:
        return root
    cities = 10 if schools >= 100 else 2
    counties = 10 if schools >= 100 else 2
    per_county = max(1, schools // (cities * counties))
    t0 = time.perf_counter()
    with transaction.atomic():
        root = OrgUnit.objects.add_root(dict(name=f"指标基准省{prefix}", kind=OrgKind.PROVINCE, code=f"{prefix}0000"))
        nodes = []

        def node(parent_path, depth, step, numchild, **fields):
            path = OrgUnit._get_path(parent_path, depth, step)
            nodes.append(OrgUnit(path=path, depth=depth, numchild=numchild, **fields))
            return path

        for c in range(1, cities + 1):
            city = node(root.path, 2, c, counties, name=f"指标基准{c}市", kind=OrgKind.CITY, code=f"{prefix}{c:02d}00")
            for k in range(1, counties + 1):
                code = f"{prefix}{c:02d}{k:02d}"
                county = node(city, 3, k, per_county, name=f"指标基准{c}市{k}县", kind=OrgKind.COUNTY, code=code)
                for s in range(1, per_county + 1):
                    node(
                        county,
                        4,
                        s,
                        0,
                        name=f"{code}第{s}学校",
                        kind=OrgKind.SCHOOL,
                        code=f"{code}{s:04d}",
                        school_type=SchoolType.PRIMARY if s % 3 else SchoolType.JUNIOR,
                        ownership=Ownership.PUBLIC,
                    )
        OrgUnit.objects.bulk_create(nodes, batch_size=5000)
        OrgUnit.objects.filter(pk=root.pk).update(numchild=cities)
        with connection.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE bench_schools ON COMMIT DROP AS SELECT id, "
                "row_number() OVER (ORDER BY path) - 1 AS rn FROM orgs_orgunit "
                "WHERE kind = 'school' AND path LIKE %s",
                [root.path + "%"],
            )
            cur.execute("SELECT count(*) FROM bench_schools")
            n = cur.fetchone()[0]
            log(f"  {n:,} schools in {time.perf_counter() - t0:.1f}s; students …")
            # students: spread evenly, a few thousand over 1,800 at the biggest schools (督学 1∶1)
            cur.execute(
                "INSERT INTO people_student (id_number_sealed, id_number_hash, id_number_masked, student_no, name, "
                "sex, birth_date, school_id) SELECT '', '', '', %s || g, '基准学生', "
                "CASE WHEN g %% 2 = 0 THEN 'M' ELSE 'F' END, DATE '2015-03-01', s.id "
                "FROM generate_series(0, %s - 1) g JOIN bench_schools s ON s.rn = g %% %s",
                [f"B{prefix}S", students, n],
            )
            log(f"  {students:,} students in {time.perf_counter() - t0:.1f}s; staff …")
            cur.execute(
                "INSERT INTO people_staff (id_number_sealed, id_number_hash, id_number_masked, staff_no, name, sex, "
                "org_id, position, subject, phone_sealed, phone_masked) SELECT '', '', '', %s || g, '基准教师', 'F', "
                "s.id, '教师', '', '', '' FROM generate_series(0, %s - 1) g JOIN bench_schools s ON s.rn = g %% %s",
                [f"B{prefix}T", n * STAFF_PER_SCHOOL, n],
            )
            cur.execute(
                "INSERT INTO timebank_bank (school_id, started_on, opened_at) "
                "SELECT id, DATE '2026-09-01', now() - interval '60 days' FROM bench_schools"
            )
            cur.execute(
                "INSERT INTO timebank_account (bank_id, staff_id, opened_at) "
                "SELECT b.id, st.id, now() - interval '30 days' FROM people_staff st "
                "JOIN timebank_bank b ON b.school_id = st.org_id JOIN bench_schools s ON s.id = st.org_id "
                "WHERE st.id % 5 < 3"
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE people_student; ANALYZE people_staff; ANALYZE timebank_account; ANALYZE orgs_orgunit")
    log(f"  generated in {time.perf_counter() - t0:.1f}s")
    return root


def change_records(root, count: int) -> int:
    """`count` new time-bank accounts (staff who had none) at random schools of the province."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO timebank_account (bank_id, staff_id, opened_at) "
            "SELECT b.id, st.id, now() FROM people_staff st JOIN timebank_bank b ON b.school_id = st.org_id "
            "JOIN orgs_orgunit o ON o.id = st.org_id "
            "WHERE o.path LIKE %s AND NOT EXISTS (SELECT 1 FROM timebank_account a WHERE a.staff_id = st.id) "
            "ORDER BY md5(st.id::text) LIMIT %s",
            [root.path + "%", count],
        )
        return cur.rowcount


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10_000_000)
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--changes", type=int, default=10_000, help="changed records before the incremental refresh")
    parser.add_argument("--smoke", action="store_true", help="40 schools, 20,000 students, 500 changes (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.students, args.schools, args.changes = 20_000, 40, 500
    prefix = "96" if args.smoke else "97"
    if not os.environ.get("DATABASE_URL"):  # a database of its own: the full size is 10M students
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/mofang_bench_indicators" + (
            "_smoke" if args.smoke else ""
        )

    benchlib.setup_django()
    from django.db import connection
    from django.db.models import Count

    from mofang.governance.timebank.models import Account
    from mofang.platform.indicators import refresh
    from mofang.platform.indicators.models import FactTotal
    from mofang.platform.indicators.periods import current_period
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people.models import Staff, Student

    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · {args.students:,} students, {args.schools:,} schools, {args.changes:,} changes"
    )
    results: dict[str, float] = {}
    with benchlib.timed("generate (first run only)", results):
        root = build_province(prefix, args.schools, args.students, lambda m: print(m, flush=True))
    year = current_period("year").key
    in_tree = {"school__path__startswith": root.path}
    n_students = Student.objects.filter(**in_tree).count()
    n_schools = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=root.path).count()

    def total(fact):
        row = FactTotal.objects.filter(fact=fact, period=year, org=root).values_list("value", flat=True).first()
        return int(row or 0)

    with benchlib.timed("full refresh", results):
        full = refresh.refresh_all(full=True)
    failures = []
    if full["failed"]:
        failures.append(f"failed facts: {full['failed']}")
    if total("people.students") != n_students:
        failures.append(f"students: {total('people.students')} ≠ {n_students}")
    staff = Staff.objects.filter(org__path__startswith=root.path).count()
    if total("people.teachers") != staff:
        failures.append(f"teachers: {total('people.teachers')} ≠ {staff}")
    accounts_before = Account.objects.filter(bank__school__path__startswith=root.path).aggregate(
        n=Count("staff_id", distinct=True)
    )["n"]
    if total("timebank.teachers_with_account") != accounts_before:
        failures.append(f"accounts: {total('timebank.teachers_with_account')} ≠ {accounts_before}")

    time.sleep(0.01)
    with benchlib.timed(f"change {args.changes:,} records", results):
        changed = change_records(root, args.changes)
    changed_schools = set(
        Account.objects.filter(bank__school__path__startswith=root.path)
        .order_by("-opened_at")[:changed]
        .values_list("bank__school_id", flat=True)
    )
    written_before = dict(
        FactTotal.objects.filter(fact="timebank.teachers_with_account", period=year).values_list(
            "org_id", "computed_at"
        )
    )
    with benchlib.timed("incremental refresh", results):
        inc = refresh.refresh_all(full=False)
    if total("timebank.teachers_with_account") != accounts_before + changed:
        failures.append(f"after changes: {total('timebank.teachers_with_account')} ≠ {accounts_before + changed}")
    rewritten = {
        o
        for o, t in FactTotal.objects.filter(fact="timebank.teachers_with_account", period=year).values_list(
            "org_id", "computed_at"
        )
        if written_before.get(o) != t
    }
    ancestors = set()
    for path in OrgUnit.objects.filter(pk__in=changed_schools).values_list("path", flat=True):
        ancestors.update(path[:end] for end in range(OrgUnit.steplen, len(path), OrgUnit.steplen))
    allowed = changed_schools | set(OrgUnit.objects.filter(path__in=ancestors).values_list("pk", flat=True))
    if not rewritten <= allowed:
        failures.append(f"incremental refresh rewrote {len(rewritten - allowed)} totals outside the changed subtrees")

    print()
    benchlib.print_table(["阶段", "秒"], [[k, v] for k, v in results.items()])
    print()
    slow = sorted(inc["timings"].items(), key=lambda kv: -kv[1])[:8]
    benchlib.print_table(
        ["增量刷新各事实", "全量（秒）", "增量（秒）"], [[k, full["timings"].get(k, 0.0), v] for k, v in slow]
    )
    print()
    ok = results["incremental refresh"] < INCREMENTAL_TARGET_S
    print(
        f"学生 {n_students:,} · 学校 {n_schools:,} · 变更记录 {changed:,}（涉及 {len(changed_schools):,} 所学校）· "
        f"增量刷新改写时间账户汇总 {len(rewritten):,} 行"
    )
    print(
        f"全量刷新 {results['full refresh']:.2f}s · 增量刷新 {results['incremental refresh']:.2f}s "
        f"（目标 < {INCREMENTAL_TARGET_S:.0f}s：{'达到' if ok else '未达到'}）"
    )
    benchlib.write_json(
        "indicators_refresh" + ("_smoke" if args.smoke else ""),
        {
            "students": n_students,
            "schools": n_schools,
            "changes": changed,
            "changed_schools": len(changed_schools),
            "seconds": results,
            "full_timings": full["timings"],
            "incremental_timings": inc["timings"],
            "rewritten_totals": len(rewritten),
            "target_met": ok,
            "failures": failures,
        },
    )
    if failures:
        print("正确性检查失败：\n  " + "\n  ".join(failures))
        return 1
    print("正确性检查通过")
    return 0


if __name__ == "__main__":
    sys.exit(main())
