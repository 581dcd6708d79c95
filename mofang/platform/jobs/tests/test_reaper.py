"""The lease and the reaper, in one process: when a running job counts as abandoned, what becomes
of it (failed, or re-queued if its kind is safe to repeat, within JOB_MAX_ATTEMPTS), and that a
worker given up for dead cannot overwrite the re-run. The real kill -9: test_worker_killed.py."""

import datetime as dt
import io
import signal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mofang.platform.jobs import services, workers
from mofang.platform.jobs.models import Job, JobStatus, PeriodicRun
from mofang.platform.jobs.reaper import reap_abandoned_jobs
from mofang.platform.jobs.testing import DB_TASKS, dead_worker_key, other_machine_key
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, race

from .tasks import held_count


@pytest.fixture(autouse=True)
def lease(settings):
    settings.JOB_LEASE_SECONDS = 60
    settings.JOB_MAX_ATTEMPTS = 3


def _running(org, *, kind="test:once", key="", beat=None, attempts=1) -> Job:
    beat = beat or timezone.now()
    return Job.objects.create(
        kind=kind,
        title="长任务",
        org=org,
        status=JobStatus.RUNNING,
        attempts=attempts,
        started_at=beat,
        heartbeat_at=beat,
        worker="其他主机:4242",
        worker_key=key,
        task_path=held_count.module_path,
        params={},
    )


def test_a_job_whose_worker_cannot_be_seen_is_reaped_only_when_its_lease_has_run_out(tree):
    job = _running(tree.school, key=other_machine_key())
    assert reap_abandoned_jobs(now=job.heartbeat_at + dt.timedelta(seconds=59)) == 0
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    assert reap_abandoned_jobs(now=job.heartbeat_at + dt.timedelta(seconds=61)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == "任务中断：处理进程已退出，请重试"
    assert job.finished_at is not None and "执行进程 其他主机:4242" in job.log and job.reaped == 1


def test_a_job_from_before_the_lease_existed_is_reaped_by_its_start_time(tree):
    old = timezone.now() - dt.timedelta(hours=3)
    job = Job.objects.create(kind="t", title="旧任务", org=tree.school, status=JobStatus.RUNNING, started_at=old)
    assert reap_abandoned_jobs() == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_live_worker_is_never_reaped_and_a_dead_one_on_this_machine_at_once(tree):
    _label, mine = workers.this_process()
    late = timezone.now() - dt.timedelta(hours=1)
    alive = _running(tree.school, key=mine, beat=late)
    dead = _running(tree.school, key=dead_worker_key())  # heartbeat just now
    assert reap_abandoned_jobs() == 1
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=dead.pk).status == JobStatus.FAILED


def test_a_kind_safe_to_repeat_is_requeued_until_its_attempts_are_spent(tree, django_capture_on_commit_callbacks):
    job = _running(tree.school, kind="test:safe", key=dead_worker_key())
    for reaped in (1, 2):
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            assert reap_abandoned_jobs() == 1
        job.refresh_from_db()
        assert (job.status, job.reaped, len(enqueued)) == (JobStatus.QUEUED, reaped, 1)
        assert job.message == f"任务中断：处理进程已退出，已自动重新排队（第{reaped}次）"
        # the re-run is killed too
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, attempts=job.attempts + 1, worker_key=dead_worker_key()
        )
    assert reap_abandoned_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.reaped, job.message) == (JobStatus.FAILED, 3, "任务中断：处理进程已退出，请重试")
    assert job.log.count("任务中断：处理进程已退出") == 3


def test_the_requeued_job_runs_again_and_the_dead_attempt_cannot_overwrite_it(tree, django_capture_on_commit_callbacks):
    job = _running(tree.school, kind="test:safe", key=dead_worker_key())
    zombie = services.JobReporter(job.pk, attempt=1)
    with django_capture_on_commit_callbacks(execute=True):
        reap_abandoned_jobs()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (JobStatus.SUCCEEDED, 2, "数到三")
    zombie.progress(1, message="旧进程的进度")
    zombie.finish(failed=True, message="旧进程的结果")
    job.refresh_from_db()
    assert (job.status, job.message, job.done) == (JobStatus.SUCCEEDED, "数到三", 3)


def test_a_queued_job_never_handed_to_the_backend_is_handed_again(tree, django_capture_on_commit_callbacks):
    job = Job.objects.create(kind="test:once", title="排队任务", org=tree.school, task_path=held_count.module_path)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_abandoned_jobs() == 1  # nothing of it ran: safe whatever its kind
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1 and "排队后未被执行" in job.log


def test_progress_and_the_claim_renew_the_lease(tree):
    job = Job.objects.create(kind="t", title="任务", org=tree.school)
    seen = {}

    def body(job, reporter):
        seen["claimed"] = Job.objects.get(pk=job.pk).heartbeat_at
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
        reporter.progress(1, total=2)
        seen["progress"] = Job.objects.get(pk=job.pk).heartbeat_at
        return {}

    services.run_job(job.pk, body)
    assert seen["claimed"] is not None and timezone.now() - seen["progress"] < dt.timedelta(minutes=1)
    assert services.run_job(job.pk, body) == {"skipped": "任务不在排队中，未执行"}  # never twice


def test_a_failed_periodic_run_is_run_again_by_the_next_tick_within_its_attempts(tree, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    started = []

    def start(period):
        job = Job.objects.create(kind="test:once", title=f"{period}月报", org=tree.school)
        started.append(job)
        return job

    services.register_periodic(
        services.PeriodicJob(name="test-rerun", title="测试", period_of=lambda now: "2026-11", run=start)
    )
    try:
        now = dt.datetime(2026, 11, 1, 2, 0)
        assert "test-rerun:2026-11" in services.run_due_periodic_jobs(now)
        assert "test-rerun:2026-11" not in services.run_due_periodic_jobs(now)  # queued: not again
        Job.objects.filter(pk=started[0].pk).update(status=JobStatus.FAILED)
        assert "test-rerun:2026-11" in services.run_due_periodic_jobs(now)
        assert "test-rerun:2026-11" not in services.run_due_periodic_jobs(now)
        Job.objects.filter(pk=started[1].pk).update(status=JobStatus.FAILED)
        assert "test-rerun:2026-11" not in services.run_due_periodic_jobs(now)  # attempts spent
    finally:
        services.PERIODIC.pop("test-rerun")
    marker = PeriodicRun.objects.get(name="test-rerun")
    assert len(started) == 2 and marker.attempts == 2 and marker.job == started[1]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_run_a_failed_period_again_exactly_once(tree, monkeypatch):
    def start(period):
        return Job.objects.create(kind="test:once", title=f"{period}月报", org=tree.school)

    spec = services.PeriodicJob(name="test-race", title="测试", period_of=lambda now: "2026-11", run=start)
    reaper = services.PERIODIC["jobs.reap_abandoned"]
    monkeypatch.setattr(services, "PERIODIC", {reaper.name: reaper, spec.name: spec})
    now = dt.datetime(2026, 11, 1, 2, 0)
    assert race([lambda: services.run_due_periodic_jobs(now)] * 4) == ["ok"] * 4  # the first run: once
    assert Job.objects.filter(kind="test:once").count() == 1
    Job.objects.filter(kind="test:once").update(status=JobStatus.FAILED)
    assert race([lambda: services.run_due_periodic_jobs(now)] * 4) == ["ok"] * 4  # the re-run: once
    assert Job.objects.filter(kind="test:once").count() == 2
    assert PeriodicRun.objects.get(name="test-race").attempts == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_reaps_when_it_starts_then_runs_what_it_put_back(settings):
    settings.TASKS = DB_TASKS
    org = add(None, "浙江省", OrgKind.PROVINCE, "330000")
    job = _running(org, kind="test:safe", key=dead_worker_key())
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    out = io.StringIO()
    try:
        call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=out)
    finally:  # db_worker installs its own handlers
        for s, handler in handlers.items():
            signal.signal(s, handler)
    assert "已回收中断的后台任务 1 个" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (JobStatus.SUCCEEDED, 2, "数到三")


def test_a_queued_task_claimed_by_a_worker_that_died_is_handed_again_and_a_backlog_is_left_alone(tree, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    waiting = services.start_job(task=held_count, kind="test:once", title="排队中", org=tree.school)
    claimed = services.start_job(task=held_count, kind="test:once", title="已领取", org=tree.school)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    Job.objects.update(created_at=long_ago)
    claimed.refresh_from_db()
    DBTaskResult.objects.filter(pk=claimed.task_id).update(status="RUNNING", started_at=long_ago)
    assert reap_abandoned_jobs() == 1
    assert Job.objects.get(pk=waiting.pk).status == JobStatus.QUEUED  # waiting in line: not ours to judge
    old_task = claimed.task_id
    claimed.refresh_from_db()
    assert claimed.status == JobStatus.QUEUED and claimed.task_id != old_task and claimed.reaped == 1
    assert DBTaskResult.objects.get(pk=old_task).status == "FAILED"
    assert DBTaskResult.objects.get(pk=claimed.task_id).status == "READY"
