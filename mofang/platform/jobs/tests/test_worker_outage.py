"""A database outage while a worker runs a job (a PostgreSQL restart, a failover): the worker
waits for the database, hands the broken job back and carries on. Before, `mofang worker` exited
with the first OperationalError, and under `mofang serve` nothing started it again: every job
after the outage stayed queued.

PostgreSQL only: the outage is the database refusing new connections while every session of the
worker is terminated (what a restart does to it), the test's own session kept."""

import pytest
from django.db import connection

from mofang.platform.jobs import services
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.testing import WorkerProcess, shared_database
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add

from .tasks import held_count

pytestmark = pytest.mark.postgres


@pytest.fixture
def shared(transactional_db, tmp_path, settings):
    yield from shared_database(tmp_path, settings, lease=2.0)


def _allow_connections(allow: bool) -> None:
    """From the maintenance database (a database cannot refuse connections to itself)."""
    import psycopg

    s = connection.settings_dict
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        (own,) = cur.fetchone()
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        name = connection.ops.quote_name(s["NAME"])
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'true' if allow else 'false'}")
        if not allow:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [s["NAME"], own],
            )


def _job(job) -> Job:
    return Job.objects.get(pk=job.pk)


def test_a_worker_outlives_a_database_outage_and_reruns_the_job_it_broke(shared, tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    org = add(None, "浙江省", OrgKind.PROVINCE, "330000")
    job = services.start_job(
        task=held_count, kind="test:safe", title="可重复的任务", org=org, params={"hold": str(hold)}
    )
    worker = WorkerProcess(shared, tmp_path)
    try:
        worker.wait_until(lambda: _job(job).done == 1, what="the job's first step")
        _allow_connections(False)
        try:
            hold.unlink()  # the job's next step now meets the outage
            worker.wait_until(lambda: worker.output().count("数据库暂不可用") >= 2, what="the worker waiting")
        finally:
            _allow_connections(True)
        worker.wait_until(lambda: _job(job).status == JobStatus.SUCCEEDED, what="the job run again")
        assert worker.proc.poll() is None  # the same worker, still there
        assert "数据库已恢复" in worker.output()
        job.refresh_from_db()
        assert (job.attempts, job.reaped, job.done, job.message) == (2, 1, 3, "数到三")
        assert "任务中断：处理进程已退出（第1次运行" in job.log

        # and it keeps serving the queue
        later = services.start_job(task=held_count, kind="test:safe", title="之后的任务", org=org, params={})
        worker.wait_until(lambda: _job(later).status == JobStatus.SUCCEEDED, what="a job after the outage")
    finally:
        worker.stop()
