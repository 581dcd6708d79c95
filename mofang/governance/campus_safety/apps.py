"""校园及周边安全防控一件事 — SPEC §3.2 (seed 002): hazards reported by schools, routed to departments as task packages on the case engine, claimed, handled, confirmed; 服务指导 visits; 一校一单."""

from django.apps import AppConfig


class CampusSafetyConfig(AppConfig):
    name = "mofang.governance.campus_safety"
    label = "campus_safety"
    verbose_name = "校园及周边安全防控一件事"

    def ready(self):
        from mofang.platform.audit.display import register_audit_labels
        from mofang.platform.cases.registry import CASE_TYPES, register_case_type
        from mofang.platform.cases.routing import register_routing_table
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import PeriodicJob, register_periodic

        from . import facts, importers, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import HAZARD, ROUTES
        from .checklist import CATALOGUE, previous_period
        from .demo import build

        menu.register()
        importers.register()
        register_audit_labels({i.code: i.label for i in CATALOGUE})
        facts.register()
        indicators.register()
        if CASE_TYPES.get(HAZARD.code) is not HAZARD:
            register_case_type(HAZARD)
        register_routing_table(ROUTES)
        # on the first run in a month, remind schools of last month's unticked 一校一单 items
        register_periodic(
            PeriodicJob(
                name="campus_safety.checklist_reminders",
                title="一校一单月末提醒",
                period_of=lambda now: previous_period(now),
                run=_run_reminders,
            )
        )
        register_demo("campus_safety", build)


def _run_reminders(period: str) -> None:
    """The scheduler links a Job to its run; the reminders are sent inline, so there is none."""
    from .checklist import remind_unticked

    remind_unticked(period)
