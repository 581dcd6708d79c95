"""Files on a shared store (issue 13): the web process and the worker are on different machines.

Here: the test process is the web instance, with its data folder A; a real `mofang worker`
subprocess runs the import with its own data folder B; the only thing they share is the database
and an S3-compatible store (moto's standalone server, over HTTP). Before, the upload was handed
to the job as an absolute path under A's MEDIA_ROOT (which the worker cannot read) and the error
workbook was written to B's disk (which the web instance cannot serve: a 500 on every instance).
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.files_testing import files_under, keys, s3_storage_here
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.testing import WorkerProcess, shared_database
from mofang.platform.people.models import Student

from .conftest import STUDENT_HEADER, csv_bytes
from .test_import_file import EXPECTED_BAD, bad_file_rows, three_students


@pytest.fixture
def shared(transactional_db, tmp_path, settings, s3_server, media):
    """The web side (this process): data folder A, files in the shared bucket. Yields the worker's
    environment: data folder B, the same database and bucket."""
    s3_storage_here(settings, s3_server)
    for env in shared_database(tmp_path, settings, lease=30.0):
        env.update(s3_server)
        yield env


def _finished(job) -> bool:
    return Job.objects.get(pk=job.pk).finished


def test_an_import_run_by_a_worker_on_another_machine_reads_the_upload_and_its_error_file_downloads_here(
    client, tree, county_admin, shared, s3_server, media, tmp_path
):
    worker_media = tmp_path / "data" / "media"
    client.force_login(county_admin)

    # a file with bad rows: uploaded here, checked there, its error workbook downloaded here
    r = client.post(
        "/imports/students/", {"file": SimpleUploadedFile("学生名册.csv", csv_bytes(STUDENT_HEADER, bad_file_rows()))}
    )
    assert r.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    [upload] = keys(s3_server, "imports/")  # the upload went to the shared store, by name
    assert job.params["file"] == upload
    worker = WorkerProcess(shared, tmp_path)
    try:
        worker.wait_until(lambda: _finished(job), what="the bad file's job")
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED, worker.output()
        assert job.result["error_count"] == len(EXPECTED_BAD), job.log
        assert job.result_file.name in keys(s3_server, "jobs/")
        assert keys(s3_server, "imports/") == []  # the upload, personal data, is gone once answered

        f = client.get(f"/jobs/{job.pk}/file/")
        assert f.status_code == 200
        rows = list(
            openpyxl.load_workbook(io.BytesIO(b"".join(f.streaming_content))).active.iter_rows(values_only=True)
        )
        assert [r[0] for r in rows[1:]] == [e[0] for e in EXPECTED_BAD]
        assert Student.objects.count() == 0

        # a good file: written by the worker
        r = client.post("/imports/students/", {"file": SimpleUploadedFile("学生名册.xlsx", _xlsx(three_students()))})
        good = Job.objects.exclude(pk=job.pk).get()
        worker.wait_until(lambda: _finished(good), what="the good file's job")
    finally:
        worker.stop()
    good.refresh_from_db()
    assert good.status == JobStatus.SUCCEEDED, good.log
    assert Student.objects.count() == 3
    assert keys(s3_server, "imports/") == []
    # nothing went to either machine's disk
    assert files_under(media) == [] and files_under(worker_media) == []


def _xlsx(rows) -> bytes:
    from .conftest import xlsx_bytes

    return xlsx_bytes(STUDENT_HEADER, rows)
