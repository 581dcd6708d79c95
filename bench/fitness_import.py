"""Benchmark: importing 体质健康测试成绩 (the test equipment's file) into PostgreSQL, scored.

In one run, on the same database and the same students:

  (a) the student roll import (学生名册, `StudentImporter`) of N rows through the import path — the
      reference: the platform's own million-row import;
  (b) the fitness import (`FitnessResultImporter`) of one result for each of those N students:
      every row parsed (times as 3'55"), checked against the child's grade and sex, scored by the
      2014 standard's engine, staged by COPY and upserted in one statement, all-or-nothing;
  (c) the same fitness file again: every row an update (idempotent re-import).

Target from the issue: (b) ≥ 50% of (a)'s rate. Printed, and written to bench/out/fitness_import.json;
at smoke size the ratio is shown but never fails the run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mofang_bench python bench/fitness_import.py
    python bench/fitness_import.py --rows 200000
    python bench/fitness_import.py --smoke          # 5,000 rows, for CI
"""

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time

import benchlib
import student_import

TARGET = 0.50
HEADER = [
    "学籍号",
    "身高",
    "体重",
    "肺活量",
    "50米跑",
    "坐位体前屈",
    "一分钟跳绳",
    "一分钟仰卧起坐",
    "引体向上",
    "立定跳远",
    "50米×8往返跑",
    "800/1000米",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="students and results (default 1,000,000)")
    parser.add_argument("--smoke", action="store_true", help="5,000 rows and a small tree, for CI")
    parser.add_argument("--seed", type=int, default=20260901)
    args = parser.parse_args()
    rows = 5_000 if args.smoke else args.rows

    benchlib.setup_django()
    from django.db import connection

    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · rows {rows:,}"
    )
    results: dict[str, float] = {}
    root, schools = benchlib.bench_tree("smoke" if args.smoke else "full")
    admin = benchlib.bench_user(root)
    # the fitness import is the school's (校长/教务): a 教务 membership at the bench province
    importer_user = benchlib.bench_user(root, role="academic")
    roll = benchlib.OUT / f"students-{rows}-{args.seed}-{root.code}-{len(schools)}.csv"
    if not roll.exists():
        with benchlib.timed(f"generate {roll.name}", results):
            student_import.generate_csv(roll, rows, schools, args.seed)

    table = []
    # (a) the roll import into an empty table (people_student's TRUNCATE … CASCADE empties the results too)
    student_import.truncate_students()
    roll_s, roll_result, roll_peak = student_import.mofang_import(roll, admin, root)
    if roll_result["error_count"] or roll_result["created"] != rows:
        print("roll import failed:", {k: v for k, v in roll_result.items() if k != "errors"}, roll_result["errors"][:5])
        return 1
    table.append(
        ["学生名册 import_file (new rows)", rows, roll_s, rows / roll_s, student_import._note(roll_result, roll_peak)]
    )

    # untimed: a grade for the students the roll left without one (no class, no 入学年份)
    graded = give_every_student_a_grade(root)
    fitness = benchlib.OUT / f"fitness-{rows}-{args.seed}-{root.code}.csv"
    with benchlib.timed(f"generate {fitness.name}", results):
        n = generate_fitness_csv(fitness, root, args.seed)
    print(f"  file {fitness.name}: {fitness.stat().st_size / 1e6:,.1f} MB, {n:,} rows ({graded:,} grades set)")

    # (b) the fitness import, every row new; (c) again, every row an update
    fit_s, fit_result, fit_peak = fitness_import(fitness, importer_user, root)
    if fit_result["error_count"] or fit_result["created"] != n:
        print(
            "fitness import failed:", {k: v for k, v in fit_result.items() if k != "errors"}, fit_result["errors"][:5]
        )
        return 1
    table.append(["体质健康 import_file (new rows)", n, fit_s, n / fit_s, student_import._note(fit_result, fit_peak)])
    again_s, again, again_peak = fitness_import(fitness, importer_user, root)
    if again["created"] != 0 or again["updated"] != n:
        print("fitness re-import was not idempotent:", {k: v for k, v in again.items() if k != "errors"})
        return 1
    table.append(
        [
            "体质健康 import_file (re-import, all updates)",
            n,
            again_s,
            n / again_s,
            student_import._note(again, again_peak),
        ]
    )
    bands = band_counts(root)
    student_import.truncate_students()

    ratio = (n / fit_s) / (rows / roll_s)
    print()
    benchlib.print_table(["method", "rows", "seconds", "rows/s", ""], table)
    print()
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    benchlib.print_table(
        ["ratio", "measured", "target", "verdict"],
        [["体质健康 import / 学生名册 import (rows/s)", f"{ratio:.1%}", f"≥ {TARGET:.0%}", verdict]],
    )
    print("bands:", ", ".join(f"{b or '缺测'} {c:,}" for b, c in bands))
    if args.smoke:
        print("(smoke size: the ratio is informative only)")
    out = benchlib.write_json(
        "fitness_import",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "rows": n,
            "cpus": os.cpu_count(),
            "postgres": connection.pg_version,
            "smoke": args.smoke,
            "methods": [
                {"method": m, "rows": k, "seconds": round(s, 3), "rows_per_s": round(r), "note": note}
                for m, k, s, r, note in table
            ],
            "fitness_vs_roll": round(ratio, 4),
            "target": TARGET,
            "verdict": verdict,
            "bands": dict(bands),
        },
    )
    print(f"results: {out.relative_to(benchlib.REPO)}")
    return 0


def give_every_student_a_grade(root) -> int:
    """The roll file leaves a tenth of its students without a class, so without a grade: give them
    one (一至六年级 by id), so that every student has a result to import."""
    from django.db import connection

    from mofang.platform.people.roll import current_school_year

    year = current_school_year()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE people_student SET grade = 1 + (id %% 6), school_year_id = %s WHERE grade IS NULL "
            "AND school_id IN (SELECT id FROM orgs_orgunit WHERE path LIKE %s)",
            [year.pk, root.path + "%"],
        )
        return cur.rowcount


def _time(seconds: int) -> str:
    return f"{seconds // 60}'{seconds % 60:02d}\""


def generate_fitness_csv(path, root, seed: int) -> int:
    """One plausible result per student of the bench province, items of the child's grade only."""
    from mofang.platform.people.models import Student

    rng = random.Random(seed)
    n = 0
    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        students = (
            Student.objects.filter(school__path__startswith=root.path)
            .values_list("student_no", "grade", "sex")
            .order_by()
            .iterator(chunk_size=20_000)
        )
        for no, grade, sex in students:
            h = 115 + 6 * grade + rng.gauss(0, 5)
            bmi = rng.gauss(16 + 0.4 * grade, 2)
            row = {
                "学籍号": no,
                "身高": f"{h:.1f}",
                "体重": f"{bmi * (h / 100) ** 2:.1f}",
                "肺活量": str(max(400, int(rng.gauss(700 + 280 * grade, 250)))),
                "50米跑": f"{max(6.5, rng.gauss(11.8 - 0.4 * grade, 0.9)):.1f}",
                "坐位体前屈": f"{rng.gauss(8, 5):.1f}",
                "一分钟跳绳": str(max(10, int(rng.gauss(60 + 18 * grade, 25)))),
            }
            if grade >= 3:
                row["一分钟仰卧起坐"] = str(max(5, int(rng.gauss(22 + 4 * grade, 8))))
            if grade >= 5:
                row["50米×8往返跑"] = _time(int(rng.gauss(112, 10)))
            w.writerow([row.get(h, "") for h in HEADER])
            n += 1
    os.replace(tmp, path)
    return n


def fitness_import(path, user, root):
    from mofang.governance.fitness.importers import FitnessResultImporter
    from mofang.platform.imports.base import ImportContext
    from mofang.platform.imports.services import import_file

    benchlib.reset_peak_rss()
    t0 = time.perf_counter()
    result = import_file(FitnessResultImporter(), str(path), path.name, ImportContext(user=user, org=root))
    elapsed = time.perf_counter() - t0
    peak = benchlib.peak_rss_mb()
    sec = result.get("seconds", {"validate": 0, "write": 0})
    print(
        f"  体质健康: created {result['created']:,} updated {result['updated']:,} errors {result['error_count']} "
        f"in {elapsed:.2f}s (validate+score+stage {sec['validate']:.1f}s, write {sec['write']:.1f}s; "
        f"peak RSS {peak:,.0f} MB)"
    )
    return elapsed, result, peak


def band_counts(root) -> list[tuple[str, int]]:
    from django.db.models import Count

    from mofang.governance.fitness.models import FitnessResult

    return list(
        FitnessResult.objects.filter(school__path__startswith=root.path)
        .values_list("band")
        .annotate(n=Count("pk"))
        .order_by("band")
    )


if __name__ == "__main__":
    sys.exit(main())
