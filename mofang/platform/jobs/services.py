"""Starting, running, reporting on and retrying jobs.

A job's task receives the job id and runs its body through `run_job`, which claims the job (one
attempt at a time), keeps its lease alive while the body runs and records the outcome; the body
reports through `JobReporter`, whose progress is written in its own short statements so the UI
sees it live. A worker killed mid-job (SIGKILL, the OOM killer, a power cut) leaves its job
"running": the reaper (reaper.py) fails it or re-queues it once its lease has run out.
"""

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record

from . import workers
from .kinds import JOB_KINDS, JobKind, job_kind, register_job_kind
from .models import Job, JobStatus, PeriodicRun

__all__ = [
    "JOB_KINDS",
    "PERIODIC",
    "JobKind",
    "JobReporter",
    "PeriodicJob",
    "job_kind",
    "register_job_kind",
    "register_periodic",
    "retry_job",
    "run_due_periodic_jobs",
    "run_job",
    "start_job",
]

logger = logging.getLogger(__name__)
LOG_LIMIT = 10_000  # characters of a job's log kept (the newest)


def lease_seconds() -> float:
    """How long a running job may go without a heartbeat before the reaper takes it for dead."""
    return float(settings.JOB_LEASE_SECONDS)


def max_attempts() -> int:
    """How many times a job (or a periodic run) is started in all before it is left failed."""
    return int(settings.JOB_MAX_ATTEMPTS)


def heartbeat_seconds() -> float:
    """Four beats per lease, but never more often than every 0.2 s nor less than every 30 s."""
    return max(0.2, min(30.0, lease_seconds() / 4))


def _append_log(old: str, line: str) -> str:
    text = f"{old.rstrip()}\n{line}" if old.strip() else line
    return text[-LOG_LIMIT:]


# --- starting ------------------------------------------------------------------------------


def start_job(*, task, kind: str, title: str, org, acting_user=None, params: dict | None = None) -> Job:
    """Create the job row and hand `task(job_id)` to the task backend (see `_enqueue`)."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title, org=org, created_by=acting_user, params=params or {}, task_path=task.module_path
        )
        _enqueue(job.pk, task)
    return job


def _stores_tasks_in_our_database(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def _enqueue(job_id: int, task) -> None:
    """The database backend's task row is written in the caller's transaction, so the job and its
    task commit together or not at all; any other backend (Redis, immediate) gets the job once the
    transaction has committed, so its worker never looks for a row it cannot see yet."""

    def enqueue():
        result = task.enqueue(job_id)
        Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])

    if _stores_tasks_in_our_database(task):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def task_of(job: Job):
    """The task that runs `job`, or None if it is not recorded or no longer exists."""
    if not job.task_path:
        return None
    try:
        return import_string(job.task_path)
    except ImportError:
        return None


def requeue(job: Job, *, message: str, note: str) -> None:
    """Put a job back in the queue (same row: every page and record that links to it follows the
    re-run) and hand it to the task backend again. Inside the caller's transaction."""
    task = task_of(job)
    if task is None:
        raise ValidationError(gettext("找不到执行该任务的程序，请回到原功能页面重新发起"))
    if job.result_file:  # the last run's file (e.g. an error workbook) is not the re-run's
        stale = job.result_file.name or ""
        transaction.on_commit(lambda: job.result_file.storage.delete(stale))
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        done=0,
        message=message[:300],
        result={},
        result_file="",
        finished_at=None,
        heartbeat_at=timezone.now(),  # a queued job's lease clock: when it was queued
        worker="",
        worker_key="",
        log=_append_log(job.log, note),
    )
    _enqueue(job.pk, task)


# --- running ----------------------------------------------------------------------------------


class JobReporter:
    """What a job body writes about itself. Every write names the attempt it belongs to, so a
    worker that was given up for dead (and whose job was re-queued) cannot overwrite the re-run."""

    def __init__(self, job_id: int, attempt: int | None = None):
        self.job_id = job_id
        self.attempt = attempt

    def _mine(self):
        qs = Job.objects.filter(pk=self.job_id)
        return qs if self.attempt is None else qs.filter(attempts=self.attempt)

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        fields: dict[str, object] = {"done": done, "heartbeat_at": timezone.now()}  # progress renews the lease too
        if total is not None:
            fields["total"] = total
        if message is not None:
            fields["message"] = message[:300]
        self._mine().filter(status=JobStatus.RUNNING).update(**fields)

    def heartbeat(self) -> None:
        self._mine().filter(status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())

    def finish(self, *, result: dict | None = None, message: str = "", failed: bool = False) -> None:
        # FAILED too: a worker the reaper wrongly gave up (and did not re-queue) still reports
        # how its run really ended
        self._mine().filter(status__in=[JobStatus.RUNNING, JobStatus.FAILED]).update(
            status=JobStatus.FAILED if failed else JobStatus.SUCCEEDED,
            finished_at=timezone.now(),
            result=result or {},
            message=message[:300],
        )


class _Heartbeat(threading.Thread):
    """Renews the lease every few seconds while the body runs, on a connection of its own (the
    body may be inside a long transaction, or computing without any database call)."""

    def __init__(self, reporter: JobReporter, every: float):
        super().__init__(name=f"job-{reporter.job_id}-heartbeat", daemon=True)
        self.reporter, self.every = reporter, every
        self._stop_beating = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_beating.wait(self.every):
                try:
                    self.reporter.heartbeat()
                except DatabaseError:  # e.g. SQLite busy while the body writes: the next beat will do
                    logger.warning("job %s: heartbeat not written", self.reporter.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_beating.set()
        self.join(timeout=5)


def _claim(job_id: int) -> int | None:
    """Mark a queued job running for this process; its attempt number, or None if it is not queued
    (already running elsewhere, finished, or failed meanwhile): it must not run twice at once."""
    job = Job.objects.filter(pk=job_id).only("status", "attempts").first()
    if job is None or job.status != JobStatus.QUEUED:
        return None
    now = timezone.now()
    label, key = workers.this_process()
    attempt = job.attempts + 1
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, attempts=job.attempts).update(
        status=JobStatus.RUNNING,
        attempts=attempt,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        message="",
        worker=label[:200],
        worker_key=key[:200],
    )
    return attempt if claimed else None


def run_job(job_id: int, body: Callable[[Job, JobReporter], dict | None]) -> dict:
    """Run a job body with status bookkeeping; an exception marks the job failed, with its log."""
    attempt = _claim(job_id)
    if attempt is None:
        logger.warning("job %s is not queued: not run", job_id)
        return {"skipped": "任务不在排队中，未执行"}
    job = Job.objects.get(pk=job_id)
    reporter = JobReporter(job_id, attempt)
    # Run inside a caller's transaction (the immediate backend in tests), nobody else could see a
    # heartbeat anyway; a worker's job gets the timer.
    beat = None if connection.in_atomic_block else _Heartbeat(reporter, heartbeat_seconds())
    if beat is not None:
        beat.start()
    try:
        result = body(job, reporter) or {}
    except Exception as exc:  # noqa: BLE001  (whatever the body raises, the job ends failed with its log)
        job.refresh_from_db(fields=["log"])
        reporter._mine().update(log=_append_log(job.log, traceback.format_exc()[-5000:]))
        reporter.finish(failed=True, message=f"任务失败：{exc}")
        return {"failed": str(exc)}
    finally:
        if beat is not None:
            beat.stop()
    job.refresh_from_db(fields=["message", "status"])
    if job.status != JobStatus.FAILED:
        reporter.finish(result=result, message=result.get("message", job.message or "完成"))
    return result


# --- retrying by hand (失败任务) -------------------------------------------------------------


def retry_job(job: Job, *, acting_user) -> Job:
    """Run a failed job again (重试): the same row goes back to the queue with its kind and params,
    so the page a person follows and every record that links to the job (a draw, a periodic run)
    follow the re-run. Only a kind declared safe to repeat may be retried here."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.FAILED:
            raise ValidationError(gettext("只有失败的任务可以重试"))
        if not job.retryable:
            raise ValidationError(gettext("此类任务不能在此重试，请回到原功能页面重新发起"))
        spec = job_kind(job.kind)
        if spec is not None and spec.before_retry is not None:
            spec.before_retry(job, acting_user)
        who = getattr(acting_user, "full_name", "") or getattr(acting_user, "username", "")
        stamp = f"{timezone.localtime():%Y-%m-%d %H:%M:%S}"
        requeue(job, message="已重新排队，等待执行", note=f"{stamp} {who}重试（此前：{job.message or '失败'}）")
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            obj=job,
            org=job.org,
            summary=f"重试后台任务：{job.title}",
            before={"status": JobStatus.FAILED, "message": job.message},
            after={"status": JobStatus.QUEUED},
        )
    job.refresh_from_db()
    return job


# --- periodic jobs ----------------------------------------------------------------------


@dataclass
class PeriodicJob:
    name: str
    title: str
    period_of: Callable  # now -> period key (e.g. "2026-10" for the month to process) or None
    run: Callable  # (period_key) -> the Job it started, or anything else (a count, None): not linked
    # False: run on every tick, with no PeriodicRun marker (housekeeping such as the reaper); it
    # is listed in the tick's answer only when it returns something truthy
    once_per_period: bool = True


PERIODIC: dict[str, PeriodicJob] = {}


def register_periodic(job: PeriodicJob) -> None:
    PERIODIC[job.name] = job


def run_due_periodic_jobs(now=None) -> list[str]:
    """Run each periodic job whose current period has not run yet — or whose job for the period
    failed (or was reaped), up to JOB_MAX_ATTEMPTS times; safe to call every minute, and from two
    schedulers at once (each period is started once per attempt)."""
    now = now or timezone.localtime()
    if timezone.is_naive(now):  # a wall-clock time in the platform's time zone
        now = timezone.make_aware(now)
    ran = []
    # housekeeping first: the reaper's verdicts are what the re-run check below reads
    for spec in sorted(PERIODIC.values(), key=lambda s: s.once_per_period):
        period = spec.period_of(now)
        if period is None:
            continue
        if not spec.once_per_period:
            if spec.run(period):
                ran.append(f"{spec.name}:{period}")
            continue
        marker = PeriodicRun.objects.filter(name=spec.name, period=period).select_related("job").first()
        if marker is None:
            if _first_run(spec, period):
                ran.append(f"{spec.name}:{period}")
        elif _rerun_failed(spec, marker):
            ran.append(f"{spec.name}:{period}")
    return ran


def _first_run(spec: PeriodicJob, period: str) -> bool:
    try:
        with transaction.atomic():
            marker = PeriodicRun.objects.create(name=spec.name, period=period)
            _link(marker, spec.run(period))
    except IntegrityError:  # another scheduler claimed this period first
        return False
    return True


def _rerun_failed(spec: PeriodicJob, marker: PeriodicRun) -> bool:
    """The period's job failed (or its worker died and the reaper gave it up): start the period
    again. The conditional update on `attempts` is the claim: of two ticks, one wins."""
    if marker.job is None or marker.job.status != JobStatus.FAILED or marker.attempts >= max_attempts():
        return False
    with transaction.atomic():
        claimed = PeriodicRun.objects.filter(pk=marker.pk, attempts=marker.attempts, job=marker.job).update(
            attempts=marker.attempts + 1, ran_at=timezone.now()
        )
        if not claimed:
            return False
        _link(marker, spec.run(marker.period))
    return True


def _link(marker: PeriodicRun, job) -> None:
    marker.job = job if isinstance(job, Job) else None
    PeriodicRun.objects.filter(pk=marker.pk).update(job=marker.job)
