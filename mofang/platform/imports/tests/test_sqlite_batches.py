"""On the embedded SQLite (one writer at a time) a big import writes in short committed batches,
so a login or an API call that writes gets the lock between them instead of waiting for the
whole file (issue 13: 40–270 s, then a 500); and the file stays all-or-nothing: whatever stops
the write after the first batch undoes every batch.

A real `mofang worker` runs the import on the test database (a file both processes open), and is
held between two batches (`writers._let_others_in`): the web side then signs in and writes.
bench/sqlite_import_lock.py measures the same with a 50,000-row file."""

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from mofang.platform.audit.models import AuditEntry
from mofang.platform.imports.writers import OrmWriter
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.testing import WorkerProcess, shared_database
from mofang.platform.people import identity
from mofang.platform.people.models import Student
from mofang.platform.testing import make_student, make_user

from .conftest import STUDENT_HEADER, csv_bytes, student_row

ROWS = OrmWriter.batch_rows * 2 + 500  # three batches


def _rows(n: int) -> list[list[str]]:
    out = []
    for i in range(n):
        birth = dt.date(2016, 1, 1) + dt.timedelta(days=i % 1000)
        first17 = f"330822{birth:%Y%m%d}{(i // 1000) * 2 + 1:03d}"
        idn = first17 + identity.id_check_digit(first17)
        out.append(student_row(f"G{idn}", "张小明", birth=birth.isoformat(), id_number=idn))
    return out


@pytest.fixture
def shared(transactional_db, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("batched writes are SQLite's (PostgreSQL writes the file in one transaction, MVCC)")
    settings.MEDIA_ROOT = tmp_path / "data" / "media"  # the worker's (local storage, one machine)
    yield from shared_database(tmp_path, settings, lease=30.0)


@pytest.fixture
def between_batches(tmp_path):
    hold = tmp_path / "between-batches"
    hold.touch()
    return hold


def _start(client, shared, tmp_path, hold, rows) -> tuple[Job, WorkerProcess]:
    r = client.post("/imports/students/", {"file": SimpleUploadedFile("学生名册.csv", csv_bytes(STUDENT_HEADER, rows))})
    assert r.status_code == 302
    job = Job.objects.get(kind="import:students")
    worker = WorkerProcess(shared, tmp_path, hold={"mofang.platform.imports.writers._let_others_in": hold})
    reached = hold.with_name(hold.name + ".reached")
    worker.wait_until(reached.exists, what="the end of the first batch")
    return job, worker


def test_a_login_gets_in_while_a_big_import_is_writing_and_the_import_then_writes_every_row(
    client, tree, county_admin, shared, tmp_path, between_batches
):
    teacher = make_user("teacher_cs", "teacher", tree.school)
    client.force_login(county_admin)
    job, worker = _start(client, shared, tmp_path, between_batches, _rows(ROWS))
    try:
        assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
        started = time.perf_counter()
        other = Client()  # another browser: its sign-in writes a session and last_login
        r = other.post("/accounts/login/", {"username": "teacher_cs", "password": "Mofang#2026"})
        assert r.status_code == 302 and other.session["_auth_user_id"] == str(teacher.pk)
        assert time.perf_counter() - started < 5  # not behind the whole file (the lock timeout is 20 s)
        between_batches.unlink()
        worker.wait_until(lambda: Job.objects.get(pk=job.pk).finished, what="the import's end")
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.log
    assert Student.objects.count() == ROWS
    assert job.result["created"] == ROWS


def test_a_record_moved_out_of_scope_during_the_write_undoes_every_batch(
    client, tree, county_admin, shared, tmp_path, between_batches
):
    """The first batch is written, then a student of the last batch is moved to another county:
    the last batch refuses it, and what the first batches wrote (new rows, and an existing
    student's changed name) is undone: the file is written all or not at all."""
    rows = _rows(ROWS)
    existing_first, existing_last = make_student(tree.school, "原名甲"), make_student(tree.school, "原名乙")
    Student.objects.filter(pk=existing_first.pk).update(student_no=rows[0][0])
    Student.objects.filter(pk=existing_last.pk).update(student_no=rows[-1][0])
    client.force_login(county_admin)
    job, worker = _start(client, shared, tmp_path, between_batches, rows)
    try:
        assert Student.objects.get(pk=existing_first.pk).name == "张小明"  # the first batch is in
        Student.objects.filter(pk=existing_last.pk).update(school=tree.other_school)
        between_batches.unlink()
        worker.wait_until(lambda: Job.objects.get(pk=job.pk).finished, what="the import's end")
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result["created"] == 0
    assert "写入数据库时被拒绝，未写入任何数据" in job.result["errors"][0]["message"]
    assert Student.objects.count() == 2
    assert Student.objects.get(pk=existing_first.pk).name == "原名甲"
    assert Student.objects.get(pk=existing_last.pk).school == tree.other_school
    assert not AuditEntry.objects.filter(action="import").exists()
