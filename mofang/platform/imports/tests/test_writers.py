"""The writers: PostgreSQL COPY + set upsert, ORM bulk upsert, and an importer's own write().

Each declared-model test runs with every writer the database offers: the ORM writer everywhere,
the COPY writer on PostgreSQL (run the suite with DATABASE_URL=postgres://… to cover it).
"""

import pytest
from django.db import connection

from mofang.platform.imports import services, writers
from mofang.platform.imports.base import Column, ImportContext, Importer
from mofang.platform.imports.services import import_file
from mofang.platform.people.importers import StudentImporter
from mofang.platform.people.models import Student
from mofang.platform.testing import make_student

from .conftest import STUDENT_HEADER, csv_bytes, student_row


def available_writers():
    found = [writers.OrmWriter]
    if connection.vendor == "postgresql":
        found.append(writers.PostgresCopyWriter)
    return found


@pytest.fixture(params=["orm", "copy"])
def writer(request, monkeypatch, db):
    cls = {"orm": writers.OrmWriter, "copy": writers.PostgresCopyWriter}[request.param]
    if cls not in available_writers():
        pytest.skip("the COPY writer needs PostgreSQL")
    monkeypatch.setattr(services, "writer_for", lambda importer, ctx: cls(importer, ctx))
    # small batches, so every test crosses chunk and COPY-batch boundaries
    monkeypatch.setattr(writers.PostgresCopyWriter, "flush_rows", 2)
    return cls


def students(n: int, **kw):
    return [student_row(f"G33082220180901{i:04d}", f"学生{i}", **kw) for i in range(n)]


def run(importer, path, user, org):
    return import_file(importer, path, "学生.csv", ImportContext(user=user, org=org))


def small_chunks() -> StudentImporter:
    importer = StudentImporter()
    importer.chunk_size = 2
    return importer


def test_the_database_picks_its_writer(tree, county_admin):
    chosen = writers.writer_for(StudentImporter(), ImportContext(user=county_admin, org=tree.county))
    expected = writers.PostgresCopyWriter if connection.vendor == "postgresql" else writers.OrmWriter
    assert type(chosen) is expected


def test_writer_creates_then_updates(writer, tree, county_admin, write_file):
    rows = students(5)
    path = write_file("s.csv", csv_bytes(STUDENT_HEADER, rows))
    first = run(small_chunks(), path, county_admin, tree.county)
    assert (first["created"], first["updated"], first["error_count"]) == (5, 0, 0), first["errors"]
    rows[2][1] = "改名"
    again = run(
        small_chunks(),
        write_file("t.csv", csv_bytes(STUDENT_HEADER, rows + students(7)[5:])),
        county_admin,
        tree.county,
    )
    assert (again["created"], again["updated"]) == (2, 5)
    assert Student.objects.count() == 7
    assert Student.objects.get(student_no=rows[2][0]).name == "改名"


def test_writer_refuses_a_record_outside_scope_and_writes_nothing(writer, tree, county_admin, write_file):
    theirs = make_student(tree.other_school, "李其他")
    rows = students(3)
    rows.insert(1, student_row(theirs.student_no, "冒名"))
    result = run(small_chunks(), write_file("s.csv", csv_bytes(STUDENT_HEADER, rows)), county_admin, tree.county)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "学籍号")]
    assert Student.objects.count() == 1


def test_writer_lets_a_record_move_between_schools_inside_scope(writer, tree, county_admin, write_file):
    from mofang.platform.testing import add

    second = add(tree.county, "常山县第二小学", "school", "3308220002", school_type="primary", ownership="public")
    row = student_row("G330822201809010001")
    run(StudentImporter(), write_file("a.csv", csv_bytes(STUDENT_HEADER, [row])), county_admin, tree.county)
    row[5] = "3308220002"
    result = run(StudentImporter(), write_file("b.csv", csv_bytes(STUDENT_HEADER, [row])), county_admin, tree.county)
    assert (result["created"], result["updated"]) == (0, 1)
    assert Student.objects.get().school_id == second.pk


def test_copy_writer_keeps_ciphertext_of_an_unchanged_id_number(writer, tree, county_admin, write_file):
    rows = students(2)
    path = write_file("s.csv", csv_bytes(STUDENT_HEADER, rows))
    run(StudentImporter(), path, county_admin, tree.county)
    before = dict(Student.objects.values_list("student_no", "id_number_sealed"))
    rows[1][4] = student_row("x")[4]  # a new, valid ID number for the second student
    run(StudentImporter(), write_file("t.csv", csv_bytes(STUDENT_HEADER, rows)), county_admin, tree.county)
    after = dict(Student.objects.values_list("student_no", "id_number_sealed"))
    assert after[rows[1][0]] != before[rows[1][0]]
    if writer is writers.PostgresCopyWriter:
        # sealing again would give new ciphertext for the same number: the row is left alone
        assert after[rows[0][0]] == before[rows[0][0]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="temporary tables of the COPY writer")
def test_copy_writer_drops_its_staging_table(tree, county_admin, write_file):
    run(StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, students(3))), county_admin, tree.county)
    bad = students(2)
    bad[1][5] = "3308229999"
    run(StudentImporter(), write_file("t.csv", csv_bytes(STUDENT_HEADER, bad)), county_admin, tree.county)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'mofang_import_%%'")
        assert cur.fetchone()[0] == 0


def test_a_file_with_many_bad_rows_is_reported_in_full(tree, county_admin, write_file, monkeypatch):
    rows = students(1200, school="3308229999")
    result = run(StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, rows)), county_admin, tree.county)
    assert result["error_count"] == 1200 and result["bad_rows"] == 1200
    assert len(result["errors"]) == services.MAX_ERRORS_SHOWN
    assert result["errors"][-1]["row"] == services.MAX_ERRORS_SHOWN + 1
    assert Student.objects.count() == 0


def test_the_annotated_file_holds_every_bad_row(tree, county_admin, write_file):
    import io

    import openpyxl

    from mofang.platform.imports.readers import open_table

    rows = students(700, school="3308229999")
    rows[10][5] = "3308220001"  # one good row among them is not in the file of errors
    path = write_file("s.csv", csv_bytes(STUDENT_HEADER, rows))
    log = services.ErrorLog()
    for i, _row in enumerate(rows):
        if i != 10:
            log.add(i + 2, [("学校标识码", "学校不存在或不在您的数据范围内")])
    content = services.annotated_xlsx(STUDENT_HEADER, services._bad_rows(open_table(path, "s.csv"), log))
    sheet = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(sheet) == 1 + 699
    assert 12 not in [r[0] for r in sheet[1:]]
    assert sheet[-1][1] == rows[-1][0]


class _Recorder:
    def __init__(self):
        self.calls = []

    def progress(self, done, total=None, message=None):
        self.calls.append((done, total, message, connection.in_atomic_block))

    def finish(self, **kwargs):
        self.calls.append(("finish", kwargs))


@pytest.mark.django_db(transaction=True)
def test_progress_is_reported_while_validating_outside_the_write_transaction(write_file, monkeypatch):
    from mofang.platform.testing import build_tree, make_user

    tree = build_tree()
    user = make_user("county", "county_admin", tree.county)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    reporter = _Recorder()
    path = write_file("s.csv", csv_bytes(STUDENT_HEADER, students(5)))
    result = import_file(
        StudentImporter(), path, "学生.csv", ImportContext(user=user, org=tree.county), reporter=reporter
    )
    assert result["created"] == 5
    done = [c[0] for c in reporter.calls]
    assert done == [0, 2, 4, 5, 5]
    assert "正在校验" in reporter.calls[0][2] and "已校验 2 行" in reporter.calls[1][2]
    # each progress write commits at once, so the job page moves while a big file is checked
    assert not any(c[3] for c in reporter.calls)


# --- an importer with its own write() -------------------------------------------------------


class _Notes(Importer):
    code = "test_notes"
    title = "测试"
    natural_key = "no"
    chunk_size = 2
    columns = [Column("no", "编号"), Column("text", "内容", required=False)]

    def __init__(self):
        self.chunks = []

    def write(self, rows, ctx):
        self.chunks.append([r["no"] for r in rows])
        return len(rows), 0


def test_an_importer_with_its_own_write_gets_its_rows_in_chunks(tree, county_admin, write_file):
    importer = _Notes()
    path = write_file("n.csv", csv_bytes(["编号", "内容"], [["1", "a"], ["2", "b"], ["3", ""], ["2", "重复"]]))
    result = import_file(importer, path, "n.csv", ImportContext(user=county_admin, org=tree.county))
    assert result["error_count"] == 1 and importer.chunks == []
    path = write_file("m.csv", csv_bytes(["编号", "内容"], [["1", "a"], ["2", "b"], ["3", ""]]))
    result = import_file(importer, path, "m.csv", ImportContext(user=county_admin, org=tree.county))
    assert result["created"] == 3 and importer.chunks == [["1", "2"], ["3"]]


def test_an_importer_must_declare_a_model_or_write(tree, county_admin):
    class Bare(Importer):
        code = "bare"

    with pytest.raises(TypeError, match="must declare model"):
        writers.writer_for(Bare(), ImportContext(user=county_admin, org=tree.county))


def test_a_refusal_by_the_database_fails_the_import_in_chinese(writer, tree, county_admin, write_file, monkeypatch):
    from django.db import IntegrityError

    def refuse(self, progress=None):
        raise IntegrityError("insert or update on table violates foreign key constraint")

    monkeypatch.setattr(writer, "write", refuse)
    result = run(
        StudentImporter(), write_file("s.csv", csv_bytes(STUDENT_HEADER, students(3))), county_admin, tree.county
    )
    assert result["error_count"] == 1 and "写入数据库时被拒绝，未写入任何数据" in result["errors"][0]["message"]
    assert Student.objects.count() == 0
