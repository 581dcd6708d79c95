"""清单管理 — SPEC §3.9 (seeds 003, 004): annual work-plan lists (攻坚清单, 任务清单, 40 工作要点), monthly progress, items measured from indicators, the year-end 成绩单."""

from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "mofang.governance.workplans"
    label = "workplans"
    verbose_name = "清单管理"

    def ready(self):
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import PeriodicJob, register_periodic

        from . import importers, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .services import reminder_period, send_reminders

        importers.register()
        menu.register()
        register_demo("workplans", build)
        register_periodic(
            PeriodicJob(
                "workplans.monthly_reminder",
                "清单事项月度进展提醒",
                reminder_period,
                lambda month: send_reminders(month) and None,
            )
        )
