"""失败任务: the bureau sees the failed jobs of its scope and retries them (重试, asked first,
POST only, audited); the job goes back to the queue, the same row, and its page follows it."""

from django.utils import timezone

from mofang.platform.audit.models import AuditEntry
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.testing import make_user

from .tasks import held_count


def _failed(org, title, *, kind="test:safe") -> Job:
    return Job.objects.create(
        kind=kind,
        title=title,
        org=org,
        status=JobStatus.FAILED,
        attempts=1,
        finished_at=timezone.now(),
        message="任务中断：处理进程已退出，请重试",
        task_path=held_count.module_path,
        params={"n": 1},
    )


def test_the_failed_list_shows_the_scopes_failed_jobs_only(client, tree):
    mine = _failed(tree.school, "常山导入")
    _failed(tree.other_school, "江山导入")
    Job.objects.create(kind="test:safe", title="常山成功", org=tree.school, status=JobStatus.SUCCEEDED)
    client.force_login(make_user("cs", "county_admin", tree.county))
    page = client.get("/jobs/failed/").content.decode()
    assert "常山导入" in page and "江山导入" not in page and "常山成功" not in page
    assert f'href="/jobs/{mine.pk}/"' in page and "测试任务（可重复）" in page
    assert 'class="total-count">1<' in page
    assert 'href="/jobs/failed/"' in client.get("/jobs/").content.decode()


def test_the_bureau_retries_a_failed_job_after_confirming(client, tree):
    job = _failed(tree.school, "常山导入")
    admin = make_user("cs", "county_admin", tree.county)
    client.force_login(admin)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-retry"' in page and 'data-confirm="确认重试' in page
    assert client.get(f"/jobs/{job.pk}/retry/").status_code == 405  # POST only
    r = client.post(f"/jobs/{job.pk}/retry/")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.params, job.message) == (JobStatus.QUEUED, {"n": 1}, "已重新排队，等待执行")
    assert "重试（此前：任务中断：处理进程已退出，请重试）" in job.log
    entry = AuditEntry.objects.get(summary="重试后台任务：常山导入")
    assert entry.actor == admin and entry.org == tree.school
    # queued now: a second press is refused, in Chinese, and changes nothing
    again = client.post(f"/jobs/{job.pk}/retry/")
    assert again.status_code == 400 and "只有失败的任务可以重试" in again.content.decode()
    assert AuditEntry.objects.filter(summary="重试后台任务：常山导入").count() == 1


def test_retry_is_the_bureaus_and_within_its_scope(client, tree):
    job = _failed(tree.school, "常山导入")
    principal = make_user("xz", "principal", tree.school)  # sees the job, may not retry it
    client.force_login(principal)
    assert "job-retry" not in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    client.force_login(make_user("js", "county_admin", tree.other_county))
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_kind_not_declared_safe_to_repeat_is_not_retried_here(client, tree):
    job = _failed(tree.school, "不可重复", kind="test:once")
    client.force_login(make_user("cs", "county_admin", tree.county))
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "job-retry" not in page and "此类任务不能在此重试，请回到原功能页面重新发起" in page
    r = client.post(f"/jobs/{job.pk}/retry/")
    assert r.status_code == 400 and "此类任务不能在此重试" in r.content.decode()
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
