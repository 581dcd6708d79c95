"""Query budget of 后台任务 (see mofang/platform/budgets.py)."""

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from .models import Job, JobStatus

COVERS = ("jobs:list", "jobs:failed")


def scene(tree, n: int) -> Scene:
    for i in range(n):
        # failed ones, so that both the whole list and 失败任务 grow with n
        Job.objects.create(kind="budget", title=f"预算任务{i}", org=tree.school, status=JobStatus.FAILED)
    return Scene(user=make_user("budget_jobs", "county_admin", tree.county))
