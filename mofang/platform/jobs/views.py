"""Job list and the live progress bar (htmx polls the partial while the job runs)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.web.lists import Col, ScopedListView

from .models import Job, JobStatus


class JobList(ScopedListView):
    model = Job
    permission = "jobs.view_job"
    title = "后台任务"
    search_fields = ["title"]
    filters = [("status", "状态", list(JobStatus.choices))]
    columns = [
        Col("创建时间", lambda j: timezone.localtime(j.created_at).strftime("%Y-%m-%d %H:%M")),
        Col("名称", lambda j: j.title, lambda j: f"/jobs/{j.pk}/"),
        Col("状态", lambda j: j.get_status_display()),
        Col("进度", lambda j: f"{j.percent}%", num=True),
        Col("说明", lambda j: j.message),
    ]


def _visible_job(request, pk):
    return get_visible_or_404(Job, request.user, "jobs.view_job", pk=pk)


@login_required
def job_detail(request, pk):
    job = _visible_job(request, pk)
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    return render(request, template, {"page_title": job.title, "job": job})


@login_required
def job_file(request, pk):
    job = _visible_job(request, pk)
    if not job.result_file:
        raise Http404("没有结果文件")
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=f"{job.title}-结果.xlsx".replace("/", "_")
    )
