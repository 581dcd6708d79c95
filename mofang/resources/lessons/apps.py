"""教育资源 — SPEC §3.11 (seeds 002, 004): 共享优课 catalogue, 云校 live schedules, 问道名师 Q&A, view and like counters."""

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "mofang.resources.lessons"
    label = "lessons"
    verbose_name = "教育资源"

    def ready(self):
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import register_periodic

        from . import menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .jobs import COUNTER_FLUSH

        menu.register()
        register_periodic(COUNTER_FLUSH)
        register_demo("lessons", build)
