"""The pipelined PostgreSQL writer: rows written chunk by chunk while the file is still being
checked, on a connection of its own, in one transaction — and still all or nothing.

These tests commit (transaction=True): the writer's connection sees only committed rows, as a
real import job's does. Small chunks, so that every file crosses several chunk boundaries.
"""

import pytest
from django.db import connection
from django.utils import timezone

from mofang.platform.audit.models import AuditEntry
from mofang.platform.imports import services, writers
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.people import identity
from mofang.platform.people.importers import StudentImporter
from mofang.platform.people.models import ClassPlacement, RollEvent, RollEventKind, Student
from mofang.platform.people.roll import current_school_year

from .conftest import STUDENT_HEADER, csv_bytes, student_row

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipelined writer is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def setting(monkeypatch):
    from mofang.platform.testing import build_tree, make_user

    monkeypatch.setattr(writers.PostgresPipelineWriter, "pipeline_rows", 3)
    monkeypatch.setattr(writers.PostgresPipelineWriter, "first_rows", 2)
    tree = build_tree()
    return tree, make_user("county", "county_admin", tree.county)


def students(n: int, start: int = 0, **kw):
    return [
        student_row(f"G33082220180901{i:04d}", f"学生{i}", klass="一年级1班" if i % 2 else "", **kw)
        for i in range(start, start + n)
    ]


def run(rows, tree, user, write_file, name="s.csv"):
    path = write_file(name, csv_bytes(STUDENT_HEADER, rows))
    return import_file(StudentImporter(), path, "学生.csv", ImportContext(user=user, org=tree.county))


def test_outside_a_transaction_the_pipeline_is_chosen(setting):
    tree, user = setting
    assert not connection.in_atomic_block
    chosen = writers.writer_for(StudentImporter(), ImportContext(user=user, org=tree.county))
    assert type(chosen) is writers.PostgresPipelineWriter


def test_new_rows_are_written_with_their_history_sealed_and_audited(setting, write_file):
    tree, user = setting
    rows = students(11)
    result = run(rows, tree, user, write_file)
    assert result["error_count"] == 0, result["errors"]
    assert (result["created"], result["updated"], result["rows"]) == (11, 0, 11)
    assert Student.objects.count() == 11
    s = Student.objects.get(student_no=rows[1][0])
    assert s.klass_id == tree.klass.pk and s.grade is not None
    assert identity.unseal(s.id_number_sealed) == rows[1][4]
    assert s.id_number_hash == identity.lookup_hash(rows[1][4])
    assert s.id_number_masked == identity.mask_id_number(rows[1][4])
    # the roll's history: an 入学 event for each, this year's placement for each with a grade
    assert RollEvent.objects.count() == 11
    assert set(RollEvent.objects.values_list("reason", flat=True)) == {"名册导入"}
    with_grade = Student.objects.exclude(grade=None).count()
    assert ClassPlacement.objects.count() == with_grade > 0
    placement = ClassPlacement.objects.get(student=s)
    assert (placement.klass_id, placement.grade, placement.school_id) == (s.klass_id, s.grade, s.school_id)
    # each event as the roll's own services write one, from its student's row
    today = timezone.localdate()
    for e in RollEvent.objects.select_related("student"):
        st = e.student
        assert (e.kind, e.school_id, e.grade, e.klass_id, e.status) == (
            RollEventKind.ENROL,
            st.school_id,
            st.grade,
            st.klass_id,
            st.status,
        )
        assert e.occurred_on == (st.enrolled_on or today) and e.created_by_id == user.pk
        assert e.school_year_id == current_school_year().pk
    for p in ClassPlacement.objects.select_related("student"):
        assert (p.school_id, p.grade, p.klass_id, p.school_year_id) == (
            p.student.school_id,
            p.student.grade,
            p.student.klass_id,
            p.student.school_year_id,
        )
    assert AuditEntry.objects.filter(summary__contains="新增11条，更新0条").count() == 1


def test_a_reimport_updates_and_keeps_one_history(setting, write_file):
    tree, user = setting
    rows = students(7)
    run(rows, tree, user, write_file)
    rows[0][1] = "改名"
    rows[0][6] = "一年级1班"  # a class now: the placement follows
    rows += students(2, start=50)  # and two new students in the same file
    result = run(rows, tree, user, write_file, "t.csv")
    assert result["error_count"] == 0, result["errors"]
    assert (result["created"], result["updated"]) == (2, 7)
    first = Student.objects.get(student_no=rows[0][0])
    assert first.name == "改名" and first.klass_id == tree.klass.pk
    assert ClassPlacement.objects.get(student=first).klass_id == tree.klass.pk
    assert RollEvent.objects.count() == Student.objects.count() == 9
    assert ClassPlacement.objects.count() == Student.objects.exclude(grade=None).count()
    again = run(rows, tree, user, write_file, "u.csv")
    assert (again["created"], again["updated"]) == (0, 9)
    assert RollEvent.objects.count() == 9


def test_a_bad_row_after_chunks_were_written_leaves_nothing(setting, write_file):
    tree, user = setting
    rows = students(12)
    rows[10][5] = "3308229999"  # no such school: found after three chunks went to the database
    rows[11][2] = "未知"
    result = run(rows, tree, user, write_file)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(12, "学校标识码"), (13, "性别")]
    assert result["created"] == 0
    assert not Student.objects.exists() and not RollEvent.objects.exists() and not ClassPlacement.objects.exists()
    assert not AuditEntry.objects.filter(summary__contains="导入学生名册").exists()


def test_a_row_out_of_scope_in_a_late_chunk_leaves_nothing(setting, write_file):
    from mofang.platform.testing import make_student

    tree, user = setting
    theirs = make_student(tree.other_school, "李其他")
    rows = students(9)
    rows.append(student_row(theirs.student_no, "冒名"))
    result = run(rows, tree, user, write_file)
    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [
        (11, "学籍号", "该学籍号已登记在您数据范围以外的单位，不能导入覆盖")
    ]
    assert list(Student.objects.values_list("name", flat=True)) == ["李其他"]
    assert not RollEvent.objects.filter(reason="名册导入").exists()


def test_a_refusal_by_the_database_in_the_writer_leaves_nothing(setting, write_file, monkeypatch):
    from django.db import IntegrityError

    tree, user = setting
    calls = []
    real = writers.PostgresPipelineWriter._copy_new

    def refuse_second(self, rows, copies):
        calls.append(len(rows))
        if len(calls) == 2:
            raise IntegrityError("insert or update on table violates foreign key constraint")
        return real(self, rows, copies)

    monkeypatch.setattr(writers.PostgresPipelineWriter, "_copy_new", refuse_second)
    result = run(students(8), tree, user, write_file)
    assert result["error_count"] == 1 and "写入数据库时被拒绝，未写入任何数据" in result["errors"][0]["message"]
    assert not Student.objects.exists() and not RollEvent.objects.exists()


def test_anomalies_asking_for_confirmation_undo_what_was_written(setting, write_file, monkeypatch):
    tree, user = setting
    monkeypatch.setattr(StudentImporter, "anomalies", lambda self, ctx: ["测试异常"])
    result = run(students(8), tree, user, write_file)
    assert result.get("needs_confirmation") and result["created"] == 0
    assert not Student.objects.exists() and not RollEvent.objects.exists()


def test_the_pipeline_leaves_no_connection_or_staging_table(setting, write_file):
    tree, user = setting
    bad = students(8)
    bad[7][5] = "3308229999"
    run(bad, tree, user, write_file)
    run(students(8), tree, user, write_file, "t.csv")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND application_name = current_setting('application_name') AND state LIKE 'idle in transaction%%'"
        )
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'mofang_import_%%'")
        assert cur.fetchone()[0] == 0


def test_switched_off_the_whole_file_is_checked_first(setting, write_file, monkeypatch):
    tree, user = setting
    monkeypatch.setenv("MOFANG_IMPORT_PIPELINE", "0")
    chosen = writers.writer_for(StudentImporter(), ImportContext(user=user, org=tree.county))
    assert type(chosen) is writers.PostgresCopyWriter
    assert run(students(5), tree, user, write_file)["created"] == 5
    assert services.MAX_ERRORS_SHOWN  # the module is the one the job runs


def test_an_importer_without_copies_goes_through_the_upsert_chunk_by_chunk(setting, write_file):
    from mofang.platform.people.importers import StaffImporter
    from mofang.platform.people.models import Staff

    from .conftest import STAFF_HEADER, staff_row

    tree, user = setting
    rows = [staff_row(f"T{i:03d}", phone=f"138000000{i:02d}") for i in range(7)]
    path = write_file("staff.csv", csv_bytes(STAFF_HEADER, rows))
    ctx = ImportContext(user=user, org=tree.county)
    result = import_file(StaffImporter(), path, "教职工.csv", ctx)
    assert result["error_count"] == 0, result["errors"]
    assert (result["created"], result["updated"]) == (7, 0) and Staff.objects.count() == 7
    again = import_file(StaffImporter(), path, "教职工.csv", ImportContext(user=user, org=tree.county))
    assert (again["created"], again["updated"]) == (0, 7) and Staff.objects.count() == 7
