"""Benchmark: year-end promotion (学年升级：升级与毕业) of a whole province on PostgreSQL.

The demo generator builds 浙江省 at the scale that gives the requested number of students (every
school type: 幼儿园 to 高中 and 中职, each student with grade, 入学年份, this year's class placement
and an 入学 history row). Then, through the real code path:

  (1) the preview a province administrator sees (counts per school and grade, over the subtree);
  (2) the promotion job's body (`run_job` + `promotion._job_body`, as the worker runs it): one
      transaction per county, set-based UPDATE / INSERT … SELECT, no per-student Python loop;
  (3) the same job again, which must change nothing (idempotence).

Checked: the job promoted and graduated exactly the preview's counts; it wrote one history row
per student moved and one placement per student promoted; the second run wrote nothing. Target
(issue 11): (2) under 60 s for 1,000,000 students. Printed with the history rows written and the
process's peak RSS, and written to bench/out/year_end.json.

Each run starts from a fresh database of its own (`mofang_bench_year_end`, smoke:
`mofang_bench_year_end_smoke`; or DATABASE_URL), because a promoted province cannot be promoted
again into the same year — which is the point.

    python bench/year_end.py                     # 1,000,000 students (demo scale ≈ 19)
    python bench/year_end.py --students 200000
    python bench/year_end.py --smoke             # ≈ 5,000 students, for CI
"""

import argparse
import os
import sys
import time

import benchlib

TARGET_S = 60.0
STUDENTS_PER_SCALE = 50_400  # what the demo generator makes at scale 1 (README: 约 5.2 万)


def fresh_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    params = dict(
        host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None, password=cfg["PASSWORD"] or None
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(cfg["NAME"])))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="≈5,000 students (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.students = 5_000
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/mofang_bench_year_end" + (
            "_smoke" if args.smoke else ""
        )
    fresh_database(os.environ["DATABASE_URL"])
    results: dict[str, float] = {}
    with benchlib.timed("migrate a fresh database", results):
        benchlib.setup_django()

    from django.db import connection, transaction

    from mofang.platform.demo.generator import build_province
    from mofang.platform.jobs.models import Job
    from mofang.platform.jobs.services import run_job
    from mofang.platform.people import promotion
    from mofang.platform.people.models import ClassPlacement, RollEvent, RollStatus, Student

    scale = args.students / STUDENTS_PER_SCALE
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · demo scale {scale:.3f}"
    )
    with benchlib.timed("demo generator", results), transaction.atomic():
        build = build_province(scale=scale, seed=2026, log=lambda m: print(m, flush=True))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    root = build.province
    user = benchlib.bench_user(root)
    students = Student.objects.count()
    target = promotion.target_years()[0]

    with benchlib.timed("preview (province admin)", results):
        pv = promotion.preview(user, target=target, org=root)
    events0, placements0 = RollEvent.objects.count(), ClassPlacement.objects.count()
    job = Job.objects.create(
        kind="people:promotion",
        title="基准：全省学年升级",
        org=root,
        created_by=user,
        params={"org": root.pk, "target": target},
    )
    benchlib.reset_peak_rss()
    t0 = time.perf_counter()
    result = run_job(job.pk, promotion._job_body)
    results["promotion job"] = time.perf_counter() - t0
    peak = benchlib.peak_rss_mb()
    events = RollEvent.objects.count() - events0
    placements = ClassPlacement.objects.count() - placements0

    job2 = Job.objects.create(
        kind="people:promotion",
        title="基准：再次升级",
        org=root,
        created_by=user,
        params={"org": root.pk, "target": target},
    )
    t0 = time.perf_counter()
    again = run_job(job2.pk, promotion._job_body)
    results["second run (idempotent)"] = time.perf_counter() - t0
    events_again = RollEvent.objects.count() - events0 - events

    failures = []
    if "failed" in result:
        failures.append(f"job failed: {result['failed']}")
    if (result.get("promoted"), result.get("graduated")) != (pv.promoted, pv.graduated):
        failures.append(
            f"job {result.get('promoted')}/{result.get('graduated')} ≠ preview {pv.promoted}/{pv.graduated}"
        )
    if events != pv.promoted + pv.graduated or placements != pv.promoted:
        failures.append(f"history rows {events}, placements {placements} for {pv.promoted}+{pv.graduated} students")
    if again.get("promoted") or again.get("graduated") or events_again:
        failures.append(f"second run changed {again.get('promoted')}+{again.get('graduated')}, {events_again} rows")
    graduated = Student.objects.filter(status=RollStatus.GRADUATED).count()
    if graduated != pv.graduated:
        failures.append(f"{graduated} graduated students ≠ preview {pv.graduated}")

    print()
    benchlib.print_table(
        ["阶段", "秒", "行"],
        [
            ["演示省份生成", results["demo generator"], students],
            ["预览（全省，按校按年级计数）", results["preview (province admin)"], len(pv.schools)],
            ["升级任务（升级 + 毕业）", results["promotion job"], pv.promoted + pv.graduated],
            ["  其中写入学籍异动", "", events],
            ["  其中写入新学年分班", "", placements],
            ["再次执行（幂等）", results["second run (idempotent)"], events_again],
        ],
    )
    ok = results["promotion job"] < TARGET_S
    print()
    print(
        f"学生 {students:,} · 学校 {len(build.schools):,} · 升级 {pv.promoted:,} 人 · 毕业 {pv.graduated:,} 人 · "
        f"学籍异动 {events:,} 条 · 进程峰值内存 {peak:.0f} MB"
    )
    print(
        f"升级任务 {results['promotion job']:.2f}s（目标 < {TARGET_S:.0f}s（1,000,000 名学生）："
        f"{'达到' if ok else '未达到'}）"
    )
    benchlib.write_json(
        "year_end" + ("_smoke" if args.smoke else ""),
        {
            "students": students,
            "schools": len(build.schools),
            "promoted": pv.promoted,
            "graduated": pv.graduated,
            "history_rows": events,
            "placements": placements,
            "seconds": results,
            "peak_rss_mb": round(peak),
            "target_met": ok,
            "failures": failures,
        },
    )
    if failures:
        print("正确性检查失败：\n  " + "\n  ".join(failures))
        return 1
    print("正确性检查通过")
    if args.smoke:
        print("(smoke size: the timing figures are informative only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
