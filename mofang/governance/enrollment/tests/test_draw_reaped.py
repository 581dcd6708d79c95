"""The draw follows its job's real fate when the worker dies (the kill itself: test_draw_killed.py):
re-queued, it stays 正在派位 and the re-run completes it; given up, it can be run again, from the
draw page or by 重试 on the 失败任务 page; a re-run after a run that had committed changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.enrollment import draws
from mofang.governance.enrollment.models import Admission, Draw, DrawStatus
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.reaper import reap_abandoned_jobs
from mofang.platform.jobs.services import retry_job
from mofang.platform.jobs.testing import dead_worker_key

from .test_draw_job import seeded  # noqa: F401  (the fixture)


def _killed_mid_run(d: Draw) -> Job:
    """start_run's job, as a worker that claimed it and died has left it."""
    d = draws.start_run(d, acting_user=None)
    assert d.job_id is not None
    Job.objects.filter(pk=d.job_id).update(
        status=JobStatus.RUNNING, attempts=1, started_at=timezone.now(), worker_key=dead_worker_key()
    )
    return Job.objects.get(pk=d.job_id)


def test_a_requeued_run_stays_running_and_the_rerun_completes_it(seeded, django_capture_on_commit_callbacks):  # noqa: F811
    job = _killed_mid_run(seeded.draw)
    with django_capture_on_commit_callbacks(execute=False):
        assert reap_abandoned_jobs() == 1
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert d.status == DrawStatus.RUNNING and d.job.status == JobStatus.QUEUED
    with pytest.raises(ValidationError, match="正在派位"):
        draws.start_run(d, acting_user=seeded.admin)
    with django_capture_on_commit_callbacks(execute=True):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_key=dead_worker_key())
        reap_abandoned_jobs()
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert d.status == DrawStatus.RUN and d.job_id == job.pk and d.job.status == JobStatus.SUCCEEDED
    assert Admission.objects.filter(draw=d).count() == 3 and draws.verify_draw(d) == []


def test_a_given_up_run_releases_the_draw_and_the_failed_jobs_page_retries_it(
    seeded,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.JOB_MAX_ATTEMPTS = 1
    job = _killed_mid_run(seeded.draw)
    assert reap_abandoned_jobs() == 1
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert d.status == DrawStatus.SEEDED and d.job.message == "任务中断：处理进程已退出，请重试"
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(job, acting_user=seeded.admin)
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert d.status == DrawStatus.RUN and d.job_id == job.pk and draws.verify_draw(d) == []
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_a_failed_run_superseded_by_a_new_one_is_not_retried(seeded, settings):  # noqa: F811
    settings.JOB_MAX_ATTEMPTS = 1
    old = _killed_mid_run(seeded.draw)
    reap_abandoned_jobs()
    draws.run_draw(Draw.objects.get(pk=seeded.draw.pk), acting_user=seeded.admin)  # run again, synchronously
    with pytest.raises(ValidationError, match="已派位"):
        retry_job(old, acting_user=seeded.admin)
    Draw.objects.filter(pk=seeded.draw.pk).update(job=None)
    with pytest.raises(ValidationError, match="此任务无需重试"):
        retry_job(old, acting_user=seeded.admin)
    assert Job.objects.get(pk=old.pk).status == JobStatus.FAILED


def test_a_running_draw_whose_job_failed_or_vanished_is_not_refused_as_running(seeded):  # noqa: F811
    d = draws.start_run(seeded.draw, acting_user=seeded.admin)
    assert draws._refuse_run(d).messages == ["正在派位，请勿重复操作"]
    Job.objects.filter(pk=d.job_id).update(status=JobStatus.FAILED)
    assert draws._refuse_run(Draw.objects.get(pk=d.pk)) is None
    Draw.objects.filter(pk=d.pk).update(job=None)
    d = draws.run_draw(Draw.objects.get(pk=d.pk), acting_user=seeded.admin)
    assert d.status == DrawStatus.RUN and Admission.objects.filter(draw=d).count() == 3


def test_a_rerun_after_the_run_had_committed_changes_nothing(seeded, django_capture_on_commit_callbacks):  # noqa: F811
    job = _killed_mid_run(seeded.draw)
    with django_capture_on_commit_callbacks(execute=True):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
        draws.run_draw_task.call(job.pk)  # the run commits; say its worker died before finishing the job
    d = Draw.objects.get(pk=seeded.draw.pk)
    stored = (d.output_hash, sorted(Admission.objects.filter(draw=d).values_list("registration_id", "school_id")))
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker_key=dead_worker_key(), heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_abandoned_jobs() == 1  # re-queued and run again at once
    job.refresh_from_db()
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert job.status == JobStatus.SUCCEEDED and job.message == "派位完成：共3人，录取2人，未录取1人"
    assert (d.output_hash, sorted(Admission.objects.filter(draw=d).values_list("registration_id", "school_id"))) == (
        stored
    )
