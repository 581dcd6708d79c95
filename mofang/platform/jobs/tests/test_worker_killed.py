"""A worker killed with SIGKILL mid-job (kill -9, the OOM killer): a real `mofang worker` on the
database backend runs a job in a subprocess and is killed while the job runs. Before the lease,
the job stayed "running" forever and its period counted as done; now the reaper fails it, or
puts it back in the queue when its kind is safe to repeat, and the next tick re-runs the period.

Runs on SQLite (the in-memory test database copied to a file both processes open) and on
PostgreSQL (the test database itself)."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from mofang.platform.jobs import services
from mofang.platform.jobs.models import Job, JobStatus, PeriodicRun
from mofang.platform.jobs.reaper import reap_abandoned_jobs
from mofang.platform.jobs.testing import WorkerProcess, run_worker_here, shared_database
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add

from .tasks import held_count


@pytest.fixture
def shared(transactional_db, tmp_path, settings):
    yield from shared_database(tmp_path, settings, lease=2.0)


@pytest.fixture
def hold(tmp_path):
    path = tmp_path / "hold"
    path.touch()
    return path


def _now(job) -> Job:
    return Job.objects.get(pk=job.pk)


def _run_until_killed(shared, tmp_path, job) -> WorkerProcess:
    """Start a worker, let the job pass its first step and beat once more, then kill -9."""
    worker = WorkerProcess(shared, tmp_path)
    try:
        worker.wait_until(lambda: _now(job).done == 1, what="the job's first step")
        first_beat = _now(job).heartbeat_at
        # the body makes no call now: only the timer thread renews the lease
        assert first_beat is not None
        worker.wait_until(
            lambda: (_now(job).heartbeat_at or first_beat) > first_beat, what="a heartbeat from the timer"
        )
        worker.kill()
    finally:
        worker.stop()
    assert _now(job).status == JobStatus.RUNNING  # and so it stayed, before the reaper
    return worker


def test_a_killed_workers_job_safe_to_repeat_is_requeued_and_then_done(shared, tmp_path, hold):
    org = add(None, "浙江省", OrgKind.PROVINCE, "330000")
    job = services.start_job(
        task=held_count, kind="test:safe", title="可重复的任务", org=org, params={"hold": str(hold)}
    )
    first_task = _now(job).task_id
    assert DBTaskResult.objects.get(pk=first_task).status == "READY"
    _run_until_killed(shared, tmp_path, job)
    assert DBTaskResult.objects.get(pk=first_task).status == "RUNNING"

    # the worker ran on this machine and is gone: no need to wait for the lease
    assert reap_abandoned_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.reaped == 1
    assert job.message == "任务中断：处理进程已退出，已自动重新排队（第1次）"
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"  # the queue is not left "running" either
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    assert reap_abandoned_jobs() == 0

    hold.unlink()
    run_worker_here()  # the next worker picks it up: nothing lost
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.message) == (JobStatus.SUCCEEDED, 2, 3, "数到三")
    assert "任务中断：处理进程已退出（第1次运行" in job.log


def test_a_killed_periodic_run_fails_after_the_lease_and_the_next_tick_runs_its_period_once(
    shared, tmp_path, hold, monkeypatch
):
    org = add(None, "浙江省", OrgKind.PROVINCE, "330000")

    def start(period):
        return services.start_job(
            task=held_count, kind="test:once", title=f"{period}月报", org=org, params={"hold": str(hold)}
        )

    monthly = services.PeriodicJob(name="test.monthly", title="测试月报", period_of=lambda now: "2026-11", run=start)
    reaper = services.PERIODIC["jobs.reap_abandoned"]
    monkeypatch.setattr(services, "PERIODIC", {reaper.name: reaper, monthly.name: monthly})
    assert services.run_due_periodic_jobs() == ["test.monthly:2026-11"]
    first = PeriodicRun.objects.get(name="test.monthly").job
    _run_until_killed(shared, tmp_path, first)

    # as if the worker had run on another machine: only the lease can tell
    Job.objects.filter(pk=first.pk).update(worker_key="")
    beat = _now(first).heartbeat_at
    assert reap_abandoned_jobs(now=beat + dt.timedelta(seconds=1)) == 0
    assert reap_abandoned_jobs(now=beat + dt.timedelta(seconds=3)) == 1
    first.refresh_from_db()
    assert first.status == JobStatus.FAILED and first.message == "任务中断：处理进程已退出，请重试"
    assert DBTaskResult.objects.get(pk=first.task_id).status == "FAILED"

    # the next tick runs the period again, once
    assert services.run_due_periodic_jobs() == ["test.monthly:2026-11"]
    assert services.run_due_periodic_jobs() == []
    marker = PeriodicRun.objects.get(name="test.monthly")
    assert marker.attempts == 2 and marker.job_id != first.pk
    hold.unlink()
    run_worker_here()
    assert _now(marker.job).status == JobStatus.SUCCEEDED
    assert _now(first).status == JobStatus.FAILED
    assert Job.objects.filter(kind="test:once").count() == 2
