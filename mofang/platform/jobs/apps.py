from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "mofang.platform.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        from . import roles  # noqa: F401  (the retry permission and its grants)
        from .reaper import reap_abandoned_jobs
        from .services import PeriodicJob, register_periodic

        # every tick, before the other periodic jobs: a period whose job was reaped is re-run
        register_periodic(
            PeriodicJob(
                name="jobs.reap_abandoned",
                title="回收中断的后台任务",
                period_of=lambda now: "tick",
                run=lambda period: reap_abandoned_jobs(),
                once_per_period=False,
            )
        )
