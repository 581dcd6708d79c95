import datetime as dt

from django.utils import timezone
from django_tasks import task

from mofang.platform.jobs import services
from mofang.platform.jobs.models import Job, PeriodicRun
from mofang.platform.testing import make_user


@task()
def count_to_three(job_id: int) -> dict:
    def body(job, reporter):
        for i in range(1, 4):
            reporter.progress(i, total=3)
        return {"message": "数到三"}

    return services.run_job(job_id, body)


@task()
def explode(job_id: int) -> dict:
    def body(job, reporter):
        raise ValueError("数据源不可用")

    return services.run_job(job_id, body)


def test_job_runs_after_commit_and_reports_progress(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(task=count_to_three, kind="t", title="计数", org=tree.school)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.message) == ("succeeded", 3, 3, 100, "数到三")


def test_failed_job_keeps_its_traceback_and_a_chinese_message(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(task=explode, kind="t", title="失败", org=tree.school)
    job.refresh_from_db()
    assert job.status == "failed" and "数据源不可用" in job.message and "ValueError" in job.log


def test_progress_partial_polls_while_running_and_stops_when_done(client, tree):
    user = make_user("cs", "county_admin", tree.county)
    job = Job.objects.create(kind="t", title="长任务", org=tree.school, status="running", done=5, total=10)
    client.force_login(user)
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'aria-valuenow="50"' in partial
    Job.objects.filter(pk=job.pk).update(status="succeeded", done=10)
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in partial and "已完成" in partial


def test_periodic_job_runs_once_per_period(tree):
    ran = []

    def run(period):
        ran.append(period)
        return None

    services.register_periodic(
        services.PeriodicJob(name="test-monthly", title="测试", period_of=lambda now: f"{now:%Y-%m}", run=run)
    )
    try:
        now = dt.datetime(2026, 11, 1, 2, 0)
        services.run_due_periodic_jobs(now)
        services.run_due_periodic_jobs(now)
        services.run_due_periodic_jobs(now + dt.timedelta(days=31))
    finally:
        services.PERIODIC.pop("test-monthly")
    assert ran == ["2026-11", "2026-12"]
    assert PeriodicRun.objects.filter(name="test-monthly").count() == 2


def test_a_periodic_job_returning_a_count_or_needing_an_aware_time_does_not_break_the_others(tree):
    """Modules' jobs return what they like (a count) and read local time: the scheduler links only
    a Job it got back, and hands every job an aware time even when called with a naive one."""
    seen = []

    def count_things(period):
        seen.append(period)
        return 7

    services.register_periodic(
        services.PeriodicJob(
            name="test-count",
            title="测试计数",
            period_of=lambda now: f"{timezone.localtime(now):%Y-%m-%d}",
            run=count_things,
        )
    )
    try:
        services.run_due_periodic_jobs(dt.datetime(2026, 11, 2, 9, 0))
    finally:
        services.PERIODIC.pop("test-count")
    assert seen == ["2026-11-02"]
    assert PeriodicRun.objects.get(name="test-count").job is None
