"""Benchmark: importing a student roll (学生名册) CSV into PostgreSQL.

Ways to load the same generated file, in one run, on the same database:

  (a) PostgreSQL COPY of the file into a plain table with the same columns (for reference), the
      student rows alone COPY'd into people_student, and the floor: a COPY of everything the
      import writes (student rows, roll events, placements), prepared beforehand;
  (b) Mofang's import path: `import_file` with `StudentImporter` (every row validated, ID numbers
      checked, sealed and hashed, upsert by 学籍号, all-or-nothing, audit entry);
  (c) django-import-export with a ModelResource for Student (timed on the first 50,000 rows, or the
      smoke size, and compared by rate).

Targets from the issues: (b) ≥ 80% of the floor's rate — the floor being a COPY of exactly what
(b) writes, prepared beforehand — and ≥ 20× (c)'s rate. Printed, and written to
bench/out/student_import.json; at smoke size the ratios are shown but never fail the run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mofang_bench python bench/student_import.py
    python bench/student_import.py --rows 200000
    python bench/student_import.py --smoke          # 5,000 rows, for CI
"""

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time

import benchlib

FLOOR_TARGET = 0.80
IMPORT_EXPORT_TARGET = 20.0
HEADER = ["学籍号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "班级", "入学日期"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "一乙二十丁厂七卜人入八九几儿了力乃刀又三于干亏士工土才寸下大丈与万上小口巾山千乞川亿个勺久凡及夕丸么"
    "广亡门义之尸弓己已子卫也女飞刃习叉马乡丰王井开夫天无元专云扎艺木五支厅不太犬区历尤友匹车巨牙屯比互切"
    "瓦止少日中冈贝内水见午牛手毛气升长仁什片仆化仇币仍仅斤爪反介父从今凶分乏公仓月氏勿欠风丹匀乌凤勾文六"
    "方火为斗忆订计户认心尺引丑巴孔队办以允予劝双书幻玉刊示末未击打巧正扑扒功扔去甘世古节本术可丙左厉右石"
    "布龙平灭轧东卡北占业旧帅归且旦目叶甲申叮电号田由史只央兄叼叫另叨叹四生失禾丘付仗代仙们仪白仔他斥瓜乎"
    "丛令用甩印乐句匆册犯外处冬鸟务包饥主市立闪兰半汁汇头汉宁穴它讨写让礼训必议讯记永司尼民出辽奶奴加召皮"
    "边发孕圣对台矛纠母幼丝明华国庆欣悦涵轩浩宇梓萱子墨晨曦佳怡雨桐诗雅"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated CSV (default 1,000,000)")
    parser.add_argument("--smoke", action="store_true", help="5,000 rows and a small tree, for CI")
    parser.add_argument(
        "--ie-rows",
        type=int,
        default=50_000,
        help="rows timed for django-import-export (default 50,000; rate is compared)",
    )
    parser.add_argument("--seed", type=int, default=20260901)
    parser.add_argument("--skip-reimport", action="store_true", help="don't time the second (all-update) import")
    args = parser.parse_args()
    rows = 5_000 if args.smoke else args.rows
    ie_rows = min(rows, args.ie_rows)

    benchlib.setup_django()
    from django.db import connection

    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · rows {rows:,}"
    )
    results: dict[str, float] = {}
    root, schools = benchlib.bench_tree("smoke" if args.smoke else "full")
    user = benchlib.bench_user(root)
    path = benchlib.OUT / f"students-{rows}-{args.seed}-{root.code}-{len(schools)}.csv"
    if not path.exists():
        with benchlib.timed(f"generate {path.name}", results):
            generate_csv(path, rows, schools, args.seed)
    size_mb = path.stat().st_size / 1e6
    print(f"  file {path.name}: {size_mb:,.1f} MB")

    table = []
    # (a) COPY into a plain table of the same columns
    copy_s = copy_reference(path)
    table.append(["PostgreSQL COPY (plain table)", rows, copy_s, rows / copy_s, ""])

    # (a2) the student rows alone, already validated and sealed (untimed), sorted by 学籍号, COPY'd
    # straight into people_student with its indexes and FKs (the floor before the roll's history)
    truncate_students()
    students_s = copy_floor(path, root)
    table.append(["COPY pre-sealed rows into people_student", rows, students_s, rows / students_s, "student rows only"])

    # (b) Mofang's import path into an empty table, then again (every row an update)
    truncate_students()
    mofang_s, result, peak = mofang_import(path, user, root)
    if result["error_count"] or result["created"] != rows:
        print(
            "Mofang import did not import every row:",
            {k: v for k, v in result.items() if k != "errors"},
            result["errors"][:5],
        )
        return 1
    table.append(["Mofang import_file (new rows)", rows, mofang_s, rows / mofang_s, _note(result, peak)])
    if not args.skip_reimport:
        again_s, again, peak2 = mofang_import(path, user, root)
        if again["created"] != 0 or again["updated"] != rows:
            print("re-import was not idempotent:", {k: v for k, v in again.items() if k != "errors"})
            return 1
        table.append(
            ["Mofang import_file (re-import, all updates)", rows, again_s, rows / again_s, _note(again, peak2)]
        )

    # (a3) the floor: everything a successful import of the file writes (the student rows with all
    # their columns, the 入学 event and this year's placement of each), prepared untimed, COPY'd.
    # After the imports: preparing a million rows in this process would inflate their peak RSS.
    truncate_students()
    floor_s = copy_full_floor(path, user, root)
    table.insert(
        2, ["COPY of all the import writes (floor)", rows, floor_s, rows / floor_s, "+ roll events, placements"]
    )

    # (c) django-import-export on the first ie_rows rows
    truncate_students()
    ie_s = import_export_run(path, ie_rows)
    table.append(["django-import-export ModelResource", ie_rows, ie_s, ie_rows / ie_s, ""])
    truncate_students()

    mofang_rate, copy_rate, ie_rate = rows / mofang_s, rows / copy_s, ie_rows / ie_s
    vs_copy, vs_ie, vs_floor = mofang_rate / copy_rate, mofang_rate / ie_rate, floor_s / mofang_s
    vs_students = students_s / mofang_s
    print()
    benchlib.print_table(["method", "rows", "seconds", "rows/s", ""], table)
    print()
    verdict_floor = "PASS" if vs_floor >= FLOOR_TARGET else "FAIL"
    verdict_ie = "PASS" if vs_ie >= IMPORT_EXPORT_TARGET else "FAIL"
    benchlib.print_table(
        ["ratio", "measured", "target", "verdict"],
        [
            [
                "Mofang / floor (COPY of all the import writes)",
                f"{vs_floor:.1%}",
                f"≥ {FLOOR_TARGET:.0%}",
                verdict_floor,
            ],
            ["Mofang / django-import-export (bulk)", f"{vs_ie:.1f}×", f"≥ {IMPORT_EXPORT_TARGET:.0f}×", verdict_ie],
            ["Mofang / COPY of the student rows only", f"{vs_students:.1%}", "(info)", ""],
            ["Mofang / COPY into a table without indexes", f"{vs_copy:.1%}", "(info: out of reach)", ""],
        ],
    )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.smoke:
        print("(smoke size: ratios are informative only)")
    out = benchlib.write_json(
        "student_import",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "rows": rows,
            "file_mb": round(size_mb, 1),
            "cpus": os.cpu_count(),
            "postgres": connection.pg_version,
            "smoke": args.smoke,
            "methods": [
                {"method": m, "rows": n, "seconds": round(s, 3), "rows_per_s": round(r), "note": note}
                for m, n, s, r, note in table
            ],
            "mofang_vs_floor": round(vs_floor, 4),
            "mofang_vs_import_export": round(vs_ie, 2),
            "mofang_vs_copy_of_student_rows": round(vs_students, 4),
            "mofang_vs_copy": round(vs_copy, 4),
            "load_average": os.getloadavg(),
            "targets": {"vs_floor": FLOOR_TARGET, "vs_import_export": IMPORT_EXPORT_TARGET},
            "verdicts": {"vs_floor": verdict_floor, "vs_import_export": verdict_ie},
        },
    )
    print(f"results: {out.relative_to(benchlib.REPO)}")
    return 0


# --- the tree and the file ----------------------------------------------------------------------


def generate_csv(path, rows: int, schools, seed: int) -> None:
    """N valid rows: unique 学籍号 (G + ID number), ID numbers with correct check digits whose
    birth date and sex match the row, a real school of the tree and one of its classes."""
    from mofang.platform.people.identity import id_check_digit

    rng = random.Random(seed)
    counties: dict[str, list] = {}
    for code, classes in schools:
        counties.setdefault(code[:6], []).append((code, classes))
    counties = sorted(counties.items())
    first_day = dt.date(2008, 9, 1)
    days = 365 * 11
    if rows > len(counties) * days * 500:
        raise SystemExit("too many rows for this tree")
    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            # i ↦ (county, birth day, order) is one-to-one, so ID numbers never repeat.
            region, county_schools = counties[i % len(counties)]
            rest = i // len(counties)
            birth = first_day + dt.timedelta(days=rest % days)
            male = rng.random() < 0.52
            first17 = f"{region}{birth:%Y%m%d}{(rest // days) * 2 + male:03d}"
            idn = first17 + id_check_digit(first17)
            code, classes = county_schools[rng.randrange(len(county_schools))]
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            enrolled = dt.date(birth.year + 6 + (birth.month >= 9), 9, 1)
            klass = rng.choice(classes) if rng.random() < 0.9 else ""
            w.writerow(
                [f"G{idn}", name, "男" if male else "女", birth.isoformat(), idn, code, klass, enrolled.isoformat()]
            )
    os.replace(tmp, path)


# --- the three methods ------------------------------------------------------------------------


def truncate_students() -> None:
    """Empty people_student between methods: TRUNCATE on a scratch database, else only the bench's rows."""
    from django.db import connection, transaction

    from mofang.platform.people.models import Student

    bench = benchlib.bench_q("school__path")
    # the imports wrote 入学 rows to the roll's append-only history: purging the bench's own
    # students is the one place that may remove them (the database refuses it otherwise)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL mofang.allow_purge = 'on'")
        if Student.objects.exclude(bench).exists():
            print("  (this database holds other students: deleting only the bench's, which is slower)")
            Student.objects.filter(bench).delete()
        else:
            cur.execute("TRUNCATE people_student CASCADE")
    # Every method starts alike: statistics of the emptied tables (what autovacuum would gather at
    # some unknown moment) and a new session (no plan cached for the foreign keys' checks while the
    # tables were full). Without this the floor swung from 6 s to 215 s for the same rows.
    with connection.cursor() as cur:
        cur.execute("ANALYZE people_student, people_rollevent, people_classplacement")
    connection.close()


def copy_reference(path) -> float:
    """COPY … FROM STDIN (CSV, header) into a plain table with the file's columns, committed."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy_student")
        cur.execute("""CREATE TABLE bench_copy_student (student_no varchar(30), name varchar(50), sex varchar(2),
                       birth_date date, id_number varchar(18), school_code varchar(10), class_name varchar(30),
                       enrolled_on date)""")
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        sql = "COPY bench_copy_student FROM STDIN (FORMAT csv, HEADER true)"
        with cur.connection.cursor() as raw, raw.copy(sql) as cp:
            with open(path, "rb") as fh:
                while block := fh.read(1 << 20):
                    cp.write(block)
    elapsed = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM bench_copy_student")
        n = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_copy_student")
    print(f"  COPY: {n:,} rows in {elapsed:.2f}s")
    return elapsed


def _note(result: dict, peak: float) -> str:
    sec = result["seconds"]
    return f"validate {sec['validate']:.2f}s + write {sec['write']:.2f}s; peak RSS {peak:,.0f} MB"


def copy_floor(path, root) -> float:
    """COPY rows that are already validated, sealed and sorted into people_student, committed:
    only the student rows (the floor before the roll kept its history; shown for comparison).

    Preparing them is not timed: this is what the database itself needs to take a million rows
    into a table with this one's indexes and foreign keys, whoever does the checking.
    """
    from django.db import connection, transaction

    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people import identity
    from mofang.platform.people.identity import Sealer

    # ids differ from database to database: the prepared rows are kept per database and tree
    db = connection.settings_dict
    tsv = path.with_suffix(f".{db['HOST'] or 'local'}-{db['PORT'] or 5432}-{db['NAME']}-{root.pk}.sealed.tsv")
    if not tsv.exists() or tsv.stat().st_mtime < path.stat().st_mtime:
        schools = {
            code: (pk, p)
            for code, pk, p in OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).values_list(
                "code", "id", "path"
            )
        }
        classes = {
            (p[:16], name): pk
            for p, name, pk in OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.CLASS).values_list(
                "path", "name", "id"
            )
        }
        sealer = Sealer()
        out = []
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for no, name, sex, birth, idn, code, klass, enrolled in reader:
                school_id, school_path = schools[code]
                klass_id = classes[(school_path[:16], klass)] if klass else "\\N"
                sex = "M" if sex == "男" else "F"
                out.append(
                    f"{no}\t{name}\t{sex}\t{birth}\t{school_id}\t{klass_id}\t{enrolled}\t"
                    f"{sealer.seal(idn)}\t{sealer.lookup_hash(idn)}\t{identity.mask_id_number(idn)}\n"
                )
        out.sort()  # by 学籍号, the first column: the order the Mofang writer inserts in
        tmp = tsv.with_suffix(".part")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(out)
        del out
        os.replace(tmp, tsv)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        sql = (
            "COPY people_student (student_no, name, sex, birth_date, school_id, klass_id, enrolled_on, "
            "id_number_sealed, id_number_hash, id_number_masked) FROM STDIN"
        )
        with cur.cursor.copy(sql) as cp, open(tsv, "rb") as fh:
            while block := fh.read(1 << 20):
                cp.write(block)
    elapsed = time.perf_counter() - t0
    print(f"  COPY pre-sealed rows into people_student: {elapsed:.2f}s")
    return elapsed


def _tsv(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def copy_full_floor(path, user, root) -> float:
    """The floor: COPY, in one transaction, exactly what a successful import of this file writes —
    every people_student column it fills (grade, school year, updated_at too), the 入学 roll event
    of each new student and this year's class placement of each student with a grade — prepared
    beforehand (not timed) by the importer's own parsing, checks and sealing, sorted by 学籍号,
    with ids given. What PostgreSQL needs for those rows with their tables' indexes and foreign
    keys (people_student 6 indexes, 3 foreign keys; the event 3 and 3; the placement 4 and 4)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from mofang.platform.imports.base import ImportContext
    from mofang.platform.imports.readers import open_table
    from mofang.platform.people.importers import StudentImporter
    from mofang.platform.people.models import RollEventKind

    importer = StudentImporter()
    ctx = ImportContext(user=user, org=root)
    importer.prepare(ctx)
    table = open_table(str(path), path.name)
    parse = importer.row_parser(importer.header_map(table.header))
    prepared = []
    for row in table.rows():
        values, errors = parse(row)
        assert errors is None, errors
        prepared.append(importer.to_db_row(importer.clean_row(values, ctx), ctx))
    prepared.sort(key=lambda r: r[0])  # by 学籍号, the order the Mofang writer inserts in
    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_serial_sequence('people_student', 'id')")
        seq = cur.fetchone()[0]
        cur.execute("SELECT nextval(%s)", [seq])
        base = cur.fetchone()[0]
        cur.execute("SELECT setval(%s, %s)", [seq, base + len(prepared)])  # the import's ids come after
    fields = importer.db_fields
    at = {f: i for i, f in enumerate(fields)}
    today, now, year_pk = timezone.localdate().isoformat(), timezone.now().isoformat(), ctx.state["year"].pk
    students, events, placements = [], [], []
    for n, r in enumerate(prepared):
        sid = base + n
        students.append("\t".join([str(sid), *map(_tsv, r)]) + "\n")
        school, grade, klass = r[at["school_id"]], r[at["grade"]], r[at["klass_id"]]
        enrolled = r[at["enrolled_on"]]
        events.append(
            "\t".join(
                [
                    str(sid),
                    RollEventKind.ENROL,
                    _tsv(enrolled) if enrolled else today,
                    str(year_pk),
                    str(school),
                    _tsv(grade),
                    _tsv(klass),
                    "enrolled",
                    "",
                    "名册导入",
                    str(user.pk),
                    now,
                ]
            )
            + "\n"
        )
        if grade is not None and r[at["school_year_id"]] is not None:
            placements.append(f"{sid}\t{year_pk}\t{school}\t{grade}\t{_tsv(klass)}\n")
    del prepared
    payloads = [
        (f"COPY people_student (id, {', '.join(fields)}) FROM STDIN", "".join(students).encode()),
        (
            "COPY people_rollevent (student_id, kind, occurred_on, school_year_id, school_id, grade, klass_id, "
            "status, other_school, reason, created_by_id, created_at) FROM STDIN",
            "".join(events).encode(),
        ),
        (
            "COPY people_classplacement (student_id, school_year_id, school_id, grade, klass_id) FROM STDIN",
            "".join(placements).encode(),
        ),
    ]
    del students, events
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for sql, payload in payloads:
            with cur.cursor.copy(sql) as cp:
                for i in range(0, len(payload), 1 << 20):
                    cp.write(payload[i : i + (1 << 20)])
    elapsed = time.perf_counter() - t0
    print(f"  COPY pre-checked rows + roll history: {elapsed:.2f}s ({len(placements):,} placements)")
    return elapsed


def mofang_import(path, user, root):
    from mofang.platform.imports.base import ImportContext
    from mofang.platform.imports.services import import_file
    from mofang.platform.people.importers import StudentImporter

    benchlib.reset_peak_rss()
    t0 = time.perf_counter()
    result = import_file(StudentImporter(), str(path), path.name, ImportContext(user=user, org=root))
    elapsed = time.perf_counter() - t0
    peak = benchlib.peak_rss_mb()
    print(
        f"  Mofang: created {result['created']:,} updated {result['updated']:,} errors {result['error_count']} "
        f"in {elapsed:.2f}s (validate+stage {result['seconds']['validate']:.1f}s, "
        f"write {result['seconds']['write']:.1f}s; "
        f"peak RSS {peak:,.0f} MB)"
    )
    return elapsed, result, peak


def import_export_run(path, n: int) -> float:
    import tablib
    from import_export import fields, resources, widgets

    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people.models import Student

    classes = {}
    for klass in OrgUnit.objects.filter(kind=OrgKind.CLASS).only("id", "name", "path"):
        classes[(klass.path[:16], klass.name)] = klass.pk
    school_paths = dict(OrgUnit.objects.filter(kind=OrgKind.SCHOOL).values_list("code", "path"))

    class SexWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return {"男": "M", "女": "F"}.get(value, value)

    class StudentResource(resources.ModelResource):
        student_no = fields.Field(attribute="student_no", column_name="学籍号")
        name = fields.Field(attribute="name", column_name="姓名")
        sex = fields.Field(attribute="sex", column_name="性别", widget=SexWidget())
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget("%Y-%m-%d"))
        school = fields.Field(
            attribute="school", column_name="学校标识码", widget=widgets.ForeignKeyWidget(OrgUnit, field="code")
        )
        enrolled_on = fields.Field(
            attribute="enrolled_on", column_name="入学日期", widget=widgets.DateWidget("%Y-%m-%d")
        )

        class Meta:
            model = Student
            import_id_fields = ["student_no"]
            fields = ("student_no", "name", "sex", "birth_date", "school", "enrolled_on")
            # its own fast settings: instances saved with bulk_create/bulk_update in batches, no
            # diff of each row kept. It still looks each row up by 学籍号 (an upsert, as Mofang's).
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_html_diff = True

        def before_save_instance(self, instance, row, **kwargs):
            # The same protection at rest as Mofang's path, and the class by (school, name).
            instance.set_id_number(row["身份证号"])
            if row["班级"]:
                instance.klass_id = classes.get((school_paths[row["学校标识码"]], row["班级"]))

    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(n + 1)]
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    result = StudentResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    elapsed = time.perf_counter() - t0
    print(f"  django-import-export: {result.totals} in {elapsed:.2f}s")
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
