"""Job list, the failed jobs (失败任务) with their 重试, and the live progress bar (htmx polls the
partial while the job runs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm_at
from mofang.platform.web.lists import Col, ScopedListView

from . import services
from .models import Job, JobStatus, failed_within
from .roles import RETRY


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class JobList(ScopedListView):
    model = Job
    permission = "jobs.view_job"
    title = "后台任务"
    refuse_with_403 = True  # not for parents, teachers, liaisons (issue 14)
    template_name = "jobs/list.html"
    search_fields = ["title"]
    filters = [("status", "状态", list(JobStatus.choices))]
    columns = [
        Col("创建时间", lambda j: _when(j.created_at)),
        Col("名称", lambda j: j.title, lambda j: f"/jobs/{j.pk}/"),
        Col("状态", lambda j: j.get_status_display()),
        Col("进度", lambda j: f"{j.percent}%", num=True),
        Col("说明", lambda j: j.message),
    ]


class FailedJobList(JobList):
    """失败任务: the failed jobs in the user's scope; each opens on its page, where 重试 is."""

    title = "失败任务"
    export_name = "失败任务"
    # the home page's 近7天失败的后台任务 opens this list with days=7: the same rows as its count
    filters = [("days", "时间", [("7", "近7天"), ("30", "近30天")])]
    columns = [
        Col("结束时间", lambda j: _when(j.finished_at or j.created_at)),
        Col("名称", lambda j: j.title, lambda j: f"/jobs/{j.pk}/"),
        Col("类型", lambda j: j.kind_title),
        Col("说明", lambda j: j.message),
        Col("运行次数", lambda j: j.attempts, num=True),
        Col("可重试", lambda j: "是" if j.retryable else "否"),
    ]

    def base_queryset(self):
        return super().base_queryset().filter(status=JobStatus.FAILED)

    def filter_by(self, qs, param, value):
        if param == "days":
            return failed_within(qs, days=int(value))
        return super().filter_by(qs, param, value)


def _visible_job(request, pk):
    return get_visible_or_404(Job, request.user, "jobs.view_job", pk=pk)


def _detail(request, job, status=200):
    can_retry = job.retryable and has_perm_at(request.user, RETRY, job.org)
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    return render(request, template, {"page_title": job.title, "job": job, "can_retry": can_retry}, status=status)


@login_required
def job_detail(request, pk):
    return _detail(request, _visible_job(request, pk))


@login_required
@require_POST
def job_retry(request, pk):
    """重试 (the page asked first): the failed job goes back to the queue, its page follows it."""
    job = get_visible_or_404(Job, request.user, RETRY, pk=pk)
    try:
        services.retry_job(job, acting_user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有重试该任务的权限")
        return _detail(request, _visible_job(request, pk), status=403)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _detail(request, _visible_job(request, pk), status=400)
    messages.success(request, "已重新排队，本页显示进度")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_file(request, pk):
    job = _visible_job(request, pk)
    if not job.result_file:
        raise Http404("没有结果文件")
    try:  # through the storage: a worker on another machine may have written it to the shared store
        handle = job.result_file.open("rb")
    except OSError:  # FileNotFoundError, or the store unreachable
        raise Http404("结果文件已不在存储中，请重新运行该任务") from None
    return FileResponse(handle, as_attachment=True, filename=f"{job.title}-结果.xlsx".replace("/", "_"))
