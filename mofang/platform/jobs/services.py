"""Starting and reporting on jobs. A job's task receives the job id and reports through
`JobReporter`; progress is written in its own short statements so the UI sees it live."""

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Job, JobStatus, PeriodicRun


def start_job(*, task, kind: str, title: str, org, acting_user=None, params: dict | None = None) -> Job:
    """Create the job row and enqueue `task(job_id)` once the caller's transaction commits."""
    job = Job.objects.create(kind=kind, title=title, org=org, created_by=acting_user, params=params or {})
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


class JobReporter:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self._last = -1

    def start(self, total: int = 0, message: str = "") -> None:
        Job.objects.filter(pk=self.job_id).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), total=total, message=message
        )

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        fields: dict[str, int | str] = {"done": done}
        if total is not None:
            fields["total"] = total
        if message is not None:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job_id).update(**fields)

    def finish(self, *, result: dict | None = None, message: str = "", failed: bool = False) -> None:
        Job.objects.filter(pk=self.job_id).update(
            status=JobStatus.FAILED if failed else JobStatus.SUCCEEDED,
            finished_at=timezone.now(),
            result=result or {},
            message=message[:300],
        )


def run_job(job_id: int, body: Callable[[Job, JobReporter], dict | None]) -> dict:
    """Run a job body with status bookkeeping; an exception marks the job failed, with its log."""
    job = Job.objects.get(pk=job_id)
    reporter = JobReporter(job_id)
    reporter.start(total=job.total)
    try:
        result = body(job, reporter) or {}
    except Exception as exc:  # noqa: BLE001 the job runner: any failure ends the job as failed, with its traceback
        Job.objects.filter(pk=job_id).update(log=traceback.format_exc()[-5000:])
        reporter.finish(failed=True, message=f"任务失败：{exc}")
        return {"failed": str(exc)}
    job.refresh_from_db(fields=["message", "status"])
    if job.status != JobStatus.FAILED:
        reporter.finish(result=result, message=result.get("message", job.message or "完成"))
    return result


# --- periodic jobs ----------------------------------------------------------------------


@dataclass
class PeriodicJob:
    name: str
    title: str
    period_of: Callable  # now -> period key (e.g. "2026-10" for the month to process) or None
    run: Callable  # (period_key) -> the Job it started, or anything else (a count, None): not linked


PERIODIC: dict[str, PeriodicJob] = {}


def register_periodic(job: PeriodicJob) -> None:
    PERIODIC[job.name] = job


def run_due_periodic_jobs(now=None) -> list[str]:
    """Run each periodic job whose current period has not run yet; safe to call every minute."""
    now = now or timezone.localtime()
    if timezone.is_naive(now):  # a wall-clock time in the platform's time zone
        now = timezone.make_aware(now)
    ran = []
    for spec in PERIODIC.values():
        period = spec.period_of(now)
        if period is None or PeriodicRun.objects.filter(name=spec.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                marker = PeriodicRun.objects.create(name=spec.name, period=period)
                job = spec.run(period)
                if isinstance(job, Job):
                    marker.job = job
                    marker.save(update_fields=["job"])
        except IntegrityError:  # another scheduler claimed this period first
            continue
        ran.append(f"{spec.name}:{period}")
    return ran
