"""Tasks for the worker tests: importable by a worker subprocess (a test module's own tasks
would be, too, but importing a test module runs its pytest imports)."""

import os
import time

from django_tasks import task

from mofang.platform.jobs.services import register_job_kind, run_job

SAFE = register_job_kind("test:safe", "测试任务（可重复）", retry_safe=True)
ONCE = register_job_kind("test:once", "测试任务（不可重复）")


@task()
def held_count(job_id: int) -> dict:
    """Counts to three; after one, waits while the job's `hold` file exists (at most 2 minutes)."""

    def body(job, reporter):
        reporter.progress(1, total=3, message="已完成第一步")
        deadline = time.monotonic() + 120
        while job.params.get("hold") and os.path.exists(job.params["hold"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        reporter.progress(3, total=3)
        return {"message": "数到三"}

    return run_job(job_id, body)
