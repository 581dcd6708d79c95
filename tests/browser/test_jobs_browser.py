"""失败任务 in Chromium: the bureau finds a job a killed worker left, is asked before 重试, and
watches the re-run finish on the same page."""

import pytest
from django.utils import timezone

from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.tests.tasks import held_count
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_retries_a_failed_job_after_confirming(page):
    tree = build_tree()
    make_user("admin_cs", "county_admin", tree.county)
    job = Job.objects.create(
        kind="test:safe",
        title="常山县学生导入",
        org=tree.school,
        status=JobStatus.FAILED,
        attempts=1,
        finished_at=timezone.now(),
        message="任务中断：处理进程已退出，请重试",
        task_path=held_count.module_path,
    )
    login(page, "admin_cs")
    page.goto("/jobs/")
    page.click("#failed-jobs-link")
    page.click("text=常山县学生导入")
    assert page.locator("#job-message").inner_text() == "任务中断：处理进程已退出，请重试"
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("#job-retry")
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED  # declined: nothing happened
    page.once("dialog", lambda d: answer(d, True))
    page.click("#job-retry")
    page.wait_for_selector("#job-status:text('已完成')")
    assert questions == ["确认重试“常山县学生导入”？将按原来的参数重新执行一次。"] * 2
    assert "已重新排队" in page.content() and page.locator("#job-attempts").inner_text() == "已运行 2 次"
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
