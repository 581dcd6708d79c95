"""Jobs are rows (SPEC §1.6): status, progress and log, shown live in the UI."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .kinds import job_kind


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


def failed_within(jobs, *, days: int):
    """The failed jobs among `jobs` created in the last `days` days: the home page's
    近7天失败的后台任务 counts them and opens 失败任务 filtered the same way."""
    return jobs.filter(status=JobStatus.FAILED, created_at__gte=timezone.now() - dt.timedelta(days=days))


class Job(models.Model):
    """One piece of background work a user started or the scheduler ran."""

    scope_org_field = "org"
    scope_owner_field = "created_by"

    kind = models.CharField(_("类型"), max_length=50, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    log = models.TextField(_("日志"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The lease: a running job renews heartbeat_at (progress calls and a timer thread); the reaper
    # fails or re-queues a job whose lease ran out or whose worker process is gone.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)  # also the running attempt's token
    reaped = models.PositiveSmallIntegerField(_("中断次数"), default=0)
    task_path = models.CharField(max_length=200, blank=True)  # the task to enqueue again on a retry
    task_id = models.CharField(max_length=64, blank=True)  # the task backend's id of the last enqueue
    worker = models.CharField(_("执行进程"), max_length=200, blank=True)  # host:pid, for people
    worker_key = models.CharField(max_length=200, blank=True)  # boot:pidns:pid:start, for the reaper

    objects = ScopedManager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        # the reaper looks for running and queued jobs every minute; the 失败任务 list for failed ones
        indexes = [models.Index(fields=["status"], name="jobs_job_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def kind_title(self) -> str:
        spec = job_kind(self.kind)
        return spec.title if spec is not None else self.kind

    @property
    def retryable(self) -> bool:
        """A failed job that its kind declares safe to run again, and that knows its task."""
        spec = job_kind(self.kind)
        return self.status == JobStatus.FAILED and bool(self.task_path) and spec is not None and spec.retry_safe


class PeriodicRun(models.Model):
    """Which period a periodic job has already run for: the scheduler runs each period once."""

    name = models.CharField(max_length=80)
    period = models.CharField(max_length=20)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)
    ran_at = models.DateTimeField(auto_now_add=True)
    # how many times the period was started: a run whose job failed (or was reaped) is started
    # again by a later tick, up to JOB_MAX_ATTEMPTS; the counter is also the claim that keeps
    # concurrent ticks from starting it twice
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "period"], name="periodic_once_per_period")]

    def __str__(self) -> str:
        return f"定时任务“{self.name}”{self.period}已运行"
