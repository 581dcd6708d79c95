"""Permission-matrix endpoints of 失败任务 and its 重试 (see mofang/platform/matrix.py)."""

from django.utils import timezone

from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.matrix import Endpoint, Target


def make_objects(tree):
    objs = {}
    for side, school in (("in", tree.school), ("out", tree.other_school)):
        tag = "甲" if side == "in" else "乙"
        # a failed import (a kind declared safe to repeat), as the reaper leaves a killed one
        objs[f"job_{side}"] = Job.objects.create(
            kind="import:schools",
            title=f"矩阵失败任务{tag}",
            org=school,
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message="任务中断：处理进程已退出，请重试",
            task_path="mofang.platform.imports.services.run_import_task",
            params={"importer": "schools", "path": f"/nonexistent/matrix-{side}.csv", "filename": "matrix.csv"},
        )
        objs[f"school_{side}"] = school
    return objs


def endpoints(o):
    def pair(url_fmt, marker, perm, kind, **kw):
        return Endpoint(
            name=f"{url_fmt} [{kind}]",
            kind=kind,
            perm=perm,
            inside=Target(url_fmt.format(obj=o["job_in"]), marker(o["job_in"]), [o["school_in"]]),
            outside=Target(url_fmt.format(obj=o["job_out"]), marker(o["job_out"]), [o["school_out"]]),
            **kw,
        )

    title = lambda j: j.title  # noqa: E731
    return [
        pair("/jobs/failed/?q=矩阵", title, "jobs.view_job", "list"),
        pair("/jobs/failed/?q=矩阵", title, "jobs.view_job", "count"),
        pair("/jobs/failed/?q=矩阵&export=xlsx", title, "jobs.view_job", "export"),
        # last: a retry puts the job back in the queue (off the failed list)
        pair("/jobs/{obj.pk}/retry/", lambda j: "", "jobs.retry_job", "change", method="POST"),
    ]
