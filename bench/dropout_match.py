"""Benchmark: 控辍保学 matching — a population register of N children of compulsory age against a
roll of N students, on PostgreSQL, by the ID-number hash (selectors.match_many: one set-based query).

Builds, with INSERT … SELECT over generate_series (the rows are written directly, not through the
import or the roll's services, to get to 10,000,000 quickly), in the counties of the bench province:

- N students (学籍号 KC…), by i % 100: 1 辍学; 2 休学 400 days ago (beyond the one-year term);
  3 休学 30 days ago (within it); 4 转出; 5 on the roll but not in the register; 6 毕业; else 在读 —
  with a 休学 roll event for 2 and 3;
- one register batch per county and N children: child i carries student i's hash, except i % 100 == 5,
  whose hash is on no roll record.

So the answer is known by arithmetic: 无学籍 = #(i%100==5), 辍学或休学逾期 = #(i%100 in 1,2),
转出未接收 = #(i%100==4). Then it times the matching of every county at once (what the indicator
facts run) and of one county (what the county page runs), checks the counts, and prints the plan's
shape. Target: under 120 s for 10,000,000 against 10,000,000.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mofang_bench python bench/dropout_match.py
    python bench/dropout_match.py --children 1000000
    python bench/dropout_match.py --smoke        # 20,000 children, for CI
"""

import argparse
import datetime as dt
import os
import sys
import time

import benchlib

PREFIX = "KC"
TARGET_SECONDS = 120


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=10_000_000, help="register children = roll students")
    parser.add_argument("--smoke", action="store_true", help="20,000 children in the small tree, for CI")
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run of the same size")
    args = parser.parse_args()
    n = 20_000 if args.smoke else args.children

    benchlib.setup_django()
    from django.db import connection

    size = "smoke" if args.smoke else "full"
    root, _schools = benchlib.bench_tree(size)
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · {n:,} register children against {n:,} roll students"
    )
    results: dict = {}
    if not (args.reuse and _existing(root) == n):
        with benchlib.timed("purge earlier bench rows", results):
            purge(root)
        with benchlib.timed(f"INSERT {n:,} roll students (+ 休学 events)", results):
            build_roll(root, n)
        with benchlib.timed(f"INSERT {n:,} register children in one batch per county", results):
            build_register(root, n)
        with benchlib.timed("ANALYZE", results), connection.cursor() as cur:
            for table in ("people_student", "people_rollevent", "dropout_control_registerchild"):
                cur.execute(f"ANALYZE {table}")

    from mofang.governance.dropout_control.models import RegisterBatch
    from mofang.governance.dropout_control.selectors import match, match_many

    batches = list(RegisterBatch.objects.filter(county__path__startswith=root.path).select_related("county"))
    t0 = time.perf_counter()
    matched = match_many(batches)
    all_seconds = time.perf_counter() - t0
    print(f"  match every county ({len(batches)} batches): {all_seconds:.1f}s")
    one = max(batches, key=lambda b: b.children)
    t0 = time.perf_counter()
    one_match = match(one)
    one_seconds = time.perf_counter() - t0
    print(f"  match one county ({one.children:,} children): {one_seconds:.2f}s")

    got = {kind: sum(m.count(kind) for m in matched.values()) for kind in ("no_record", "out", "transferred")}
    want = {"no_record": _count(n, {5}), "out": _count(n, {1, 2}), "transferred": _count(n, {4})}
    total = sum(b.children for b in batches)
    print()
    benchlib.print_table(
        ["list", "matched", "expected"], [[k, got[k], want[k]] for k in ("no_record", "out", "transferred")]
    )
    checks = [
        ("every child in the register", f"{total:,}", total == n),
        ("each list as computed by arithmetic", f"{got}", got == want),
        (
            "one county = its share of the whole",
            f"{one_match.out_of_school:,}",
            one_match.out_of_school == matched[one.pk].out_of_school,
        ),
        (
            f"every county under {TARGET_SECONDS} s" + (" (smoke: not enforced)" if args.smoke else ""),
            f"{all_seconds:.1f} s",
            args.smoke or all_seconds < TARGET_SECONDS,
        ),
    ]
    print()
    benchlib.print_table(["check", "measured", "ok"], [[c, m, "yes" if ok else "NO"] for c, m, ok in checks])
    benchlib.write_json(
        "dropout_match",
        {
            "children": n,
            "students": n,
            "counties": len(batches),
            "seconds_all": round(all_seconds, 2),
            "seconds_one_county": round(one_seconds, 3),
            "build": results,
            "lists": got,
            "checks": [{"check": c, "measured": m, "ok": ok} for c, m, ok in checks],
        },
    )
    if args.smoke:
        purge(root)
    return 0 if all(ok for _c, _m, ok in checks) else 1


def _count(n: int, residues: set[int]) -> int:
    full, rest = divmod(n, 100)
    return full * len(residues) + sum(1 for r in residues if 1 <= r <= rest)


def _existing(root) -> int:
    from mofang.governance.dropout_control.models import RegisterBatch

    return sum(RegisterBatch.objects.filter(county__path__startswith=root.path).values_list("children", flat=True))


def _units(root):
    """Aligned arrays: each school of the bench tree and its county."""
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    counties = dict(OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.COUNTY).values_list("path", "pk"))
    schools, county_of = [], []
    for pk, path in (
        OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL)
        .order_by("path")
        .values_list("pk", "path")
    ):
        schools.append(pk)
        county_of.append(counties[path[: 3 * OrgUnit.steplen]])
    return schools, county_of


def _hash(tag: str) -> str:
    """A 40-hex-character stand-in for the keyed hash, from the row number i (SQL)."""
    return f"substr(md5('{tag}a' || i) || md5('{tag}b' || i), 1, 40)"


# a 64-character stand-in for the AES-GCM ciphertext, so the rows are the size of real ones
_SEALED = "rpad(md5('s' || i), 64, 'x')"


def build_roll(root, n: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from mofang.platform.people.roll import current_school_year

    schools, _ = _units(root)
    year = current_school_year()
    today = timezone.localdate()
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO people_student (student_no, name, sex, birth_date, school_id, grade, school_year_id, status,
                                        updated_at, id_number_sealed, id_number_hash, id_number_masked)
            SELECT '{PREFIX}' || i, '基准学生' || i, CASE WHEN i %% 2 = 0 THEN 'F' ELSE 'M' END,
                   DATE '2015-03-01' + (i %% 2000), (%(schools)s::int[])[1 + (i - 1)::bigint * %(ns)s / %(n)s], 1 + i %% 6, %(year)s,
                   CASE i %% 100 WHEN 1 THEN 'dropped_out' WHEN 2 THEN 'suspended' WHEN 3 THEN 'suspended'
                                WHEN 4 THEN 'transferred_out' WHEN 6 THEN 'graduated' ELSE 'enrolled' END,
                   now(), {_SEALED}, {_hash("kc")}, '3308**********' || lpad((i %% 10000)::text, 4, '0')
            FROM generate_series(1, %(n)s) AS i
            """,
            {"schools": schools, "ns": len(schools), "year": year.pk, "n": n},
        )
        cur.execute(
            """
            INSERT INTO people_rollevent (student_id, kind, occurred_on, school_year_id, school_id, grade, status,
                                          other_school, reason, created_at)
            SELECT s.id, 'suspend',
                   CASE WHEN substr(s.student_no, 3)::bigint %% 100 = 2 THEN %(long)s ELSE %(short)s END,
                   %(year)s, s.school_id, s.grade, 'suspended', '', '基准休学', now()
            FROM people_student s
            WHERE s.student_no LIKE %(prefix)s AND s.status = 'suspended'
            """,
            {
                "long": today - dt.timedelta(days=400),
                "short": today - dt.timedelta(days=30),
                "year": year.pk,
                "prefix": PREFIX + "%",
            },
        )


def build_register(root, n: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from mofang.governance.dropout_control.models import RegisterBatch

    schools, county_of = _units(root)
    counties = sorted(set(county_of))
    ns = len(schools)
    batches = {
        c: RegisterBatch.objects.create(
            county_id=c, reference_date=timezone.localdate(), filename="基准名册.csv", children=0
        ).pk
        for c in counties
    }
    batch_of_school = [batches[c] for c in county_of]
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO dropout_control_registerchild (batch_id, county_id, name, sex, birth_date, hukou_region,
                                                       residence_region, id_number_sealed, id_number_hash,
                                                       id_number_masked)
            SELECT (%(batches)s::int[])[1 + (i - 1)::bigint * %(ns)s / %(n)s],
                   (%(counties)s::int[])[1 + (i - 1)::bigint * %(ns)s / %(n)s], '基准儿童' || i,
                   CASE WHEN i %% 2 = 0 THEN 'F' ELSE 'M' END, DATE '2015-03-01' + (i %% 2000), '990101', '990101',
                   {_SEALED},
                   CASE WHEN i %% 100 = 5 THEN {_hash("kx")} ELSE {_hash("kc")} END,
                   '3308**********' || lpad((i %% 10000)::text, 4, '0')
            FROM generate_series(1, %(n)s) AS i
            """,
            {"batches": batch_of_school, "counties": county_of, "ns": ns, "n": n},
        )
        cur.execute(
            "SELECT batch_id, count(*) FROM dropout_control_registerchild WHERE batch_id = ANY(%s) GROUP BY batch_id",
            [list(batches.values())],
        )
        actual = dict(cur.fetchall())
    for pk in batches.values():  # the batch's count as written
        RegisterBatch.objects.filter(pk=pk).update(children=actual.get(pk, 0))


def purge(root) -> None:
    """Remove the bench's register, roll events and students — in SQL. Roll events are append-only;
    on PostgreSQL the platform's purge switch (mofang.allow_purge) makes their trigger skip the
    DELETE silently, so the bench's rows go with the session's triggers off (replica role; the
    bench's own rows only, children before parents)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(
            "DELETE FROM dropout_control_registerchild WHERE batch_id IN "
            "(SELECT b.id FROM dropout_control_registerbatch b JOIN orgs_orgunit o ON o.id = b.county_id "
            "WHERE o.path LIKE %s)",
            [root.path + "%"],
        )
        cur.execute(
            "DELETE FROM dropout_control_registerbatch WHERE county_id IN (SELECT id FROM orgs_orgunit WHERE path LIKE %s)",
            [root.path + "%"],
        )
        students = "SELECT id FROM people_student WHERE student_no LIKE %s"
        cur.execute(f"DELETE FROM people_rollevent WHERE student_id IN ({students})", [PREFIX + "%"])
        cur.execute(f"DELETE FROM people_classplacement WHERE student_id IN ({students})", [PREFIX + "%"])
        cur.execute("DELETE FROM people_student WHERE student_no LIKE %s", [PREFIX + "%"])


if __name__ == "__main__":
    sys.exit(main())
