"""The reaper: jobs whose worker is gone are failed, or put back in the queue.

Run by the scheduler on every tick (`mofang tick`, the thread of `mofang serve`) and by
`mofang worker` when it starts. A job is abandoned when
  - it is running, and its worker process is gone (seen on the same machine, see workers.py) or
    its lease ran out (no heartbeat for JOB_LEASE_SECONDS) and its worker cannot be seen;
  - it is queued but will never run: it was never handed to the task backend, or (database
    backend) its task row ended, vanished, or was claimed by a worker that died before starting it.
An abandoned job whose kind is declared safe to repeat (kinds.py) is re-queued, the same row, up to
JOB_MAX_ATTEMPTS runs in all; so is a queued job that never started, whatever its kind (nothing of
it ran). Any other is marked failed with 任务中断：处理进程已退出，请重试, and its kind's
`on_abandoned` hook releases what the app marked as in progress (a draw's 正在派位). The
django-tasks-db row left RUNNING by the dead worker is marked failed too.
"""

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import workers
from .kinds import job_kind
from .models import Job, JobStatus
from .services import _append_log, lease_seconds, max_attempts, requeue, task_of

logger = logging.getLogger(__name__)

ABANDONED = "任务中断：处理进程已退出"
FAILED_MESSAGE = f"{ABANDONED}，请重试"


class WorkerLost(Exception):
    """Recorded on a django-tasks-db row whose worker died while running it."""


def reap_abandoned_jobs(now=None, *, gone: str = "") -> int:
    """Fail or re-queue every abandoned job; returns how many were reaped. `gone` is the key of a
    live process known to run none of its jobs any more (a worker whose run loop the database
    outage broke: see `mofang worker`), so its jobs are abandoned too."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=lease_seconds())
    reaped = 0
    running = (
        Job.objects.filter(status=JobStatus.RUNNING)
        .order_by("pk")
        .values_list("pk", "heartbeat_at", "started_at", "created_at", "worker_key")
    )
    for pk, heartbeat_at, started_at, created_at, key in running:
        if _running_abandoned(heartbeat_at or started_at or created_at, key, cutoff, gone):
            reaped += _reap(pk, now, cutoff, gone)
    # queued for longer than a lease (a backlog is normal): read first, lock only the lost ones
    queued = list(
        Job.objects.filter(status=JobStatus.QUEUED)
        .annotate(since=Coalesce("heartbeat_at", "created_at"))
        .filter(since__lt=cutoff)
        .order_by("pk")
        .only("pk", "task_id", "task_path")
    )
    rows = _task_rows([job.task_id for job in queued])
    for job in queued:
        if _queued_lost(job, cutoff, rows):
            reaped += _reap(job.pk, now, cutoff)
    if reaped:
        logger.warning("reaped %d abandoned job(s)", reaped)
    return reaped


def _running_abandoned(lease_from, key: str, cutoff, gone: str = "") -> bool:
    if gone and key == gone:
        return True
    state = workers.process_state(key)
    if state == workers.ALIVE:
        return False  # slow, or stuck: a live worker is stopped by people, then reaped
    return state == workers.DEAD or lease_from < cutoff


def _task_rows(task_ids) -> dict:
    """The django-tasks-db rows of these task ids, by id (another backend's ids find none)."""
    from django_tasks_db.models import DBTaskResult

    ids = []
    for task_id in task_ids:
        try:
            ids.append(uuid.UUID(task_id))
        except ValueError:
            continue
    return {str(row.pk): row for row in DBTaskResult.objects.filter(pk__in=ids)} if ids else {}


def _uses_database_backend(job: Job) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    task = task_of(job)
    return task is not None and isinstance(task.get_backend(), DatabaseBackend)


def _queued_lost(job: Job, cutoff, rows: dict) -> bool:
    """A queued job (queued before the cutoff) that no worker will ever start."""
    if not job.task_id:
        return True  # never handed to the backend: the process died between commit and enqueue
    if not _uses_database_backend(job):
        return False  # waiting in Redis, say: its length is not ours to judge
    row = rows.get(job.task_id)
    if row is None:
        return True
    from django_tasks_db.compat import TaskResultStatus

    if row.status == TaskResultStatus.READY:
        return False  # still waiting in line
    if row.status == TaskResultStatus.RUNNING:
        # a worker claimed the task but never started the job (it does so within milliseconds)
        return row.started_at is None or row.started_at < cutoff
    return True  # the task ended without starting the job


def _reap(pk: int, now, cutoff, gone: str = "") -> int:
    """Decide again on the locked row (a heartbeat may have come in meanwhile) and act."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=pk).first()
        if job is None:
            return 0
        if job.status == JobStatus.RUNNING:
            lease_from = job.heartbeat_at or job.started_at or job.created_at
            if not _running_abandoned(lease_from, job.worker_key, cutoff, gone):
                return 0
            started = True
        elif job.status == JobStatus.QUEUED:
            since = job.heartbeat_at or job.created_at
            if since >= cutoff or not _queued_lost(job, cutoff, _task_rows([job.task_id])):
                return 0
            started = False
        else:
            return 0
        _fail_task_row(job.task_id, now)
        reaped = job.reaped + 1
        spec = job_kind(job.kind)
        stamp = f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S}"
        if started:
            what = f"{stamp} {ABANDONED}（第{job.attempts}次运行，执行进程 {job.worker or '未知'}）"
        else:
            what = f"{stamp} 任务排队后未被执行（任务进程已退出或任务已丢失）"
        # a queued job that never started ran nothing: handing it over again is always safe
        repeatable = not started or (spec is not None and spec.retry_safe)
        Job.objects.filter(pk=pk).update(reaped=reaped)
        job.reaped = reaped
        if repeatable and reaped < max_attempts() and task_of(job) is not None:
            requeue(job, message=f"{ABANDONED}，已自动重新排队（第{reaped}次）", note=what)
            return 1
        Job.objects.filter(pk=pk).update(
            status=JobStatus.FAILED, finished_at=now, message=FAILED_MESSAGE, log=_append_log(job.log, what)
        )
        if spec is not None and spec.on_abandoned is not None:
            spec.on_abandoned(job)
    return 1


def _fail_task_row(task_id: str, now) -> None:
    """The django-tasks-db row the dead worker left RUNNING (or never started) ends as failed."""
    if not task_id:
        return
    from django_tasks_db.compat import TaskResultStatus

    row = _task_rows([task_id]).get(task_id)
    if row is None or row.status not in (TaskResultStatus.RUNNING, TaskResultStatus.READY):
        return
    type(row).objects.filter(pk=row.pk, status=row.status).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{ABANDONED}（mofang 回收）",
        return_value=None,
    )
