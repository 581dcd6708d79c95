"""课后服务 — SPEC §3.5 (seeds 001, 002, 004): courses per term, the selection window (first-come or lottery), roll call, the time bank's after-school source, participation and satisfaction."""

from django.apps import AppConfig


class AfterschoolConfig(AppConfig):
    name = "mofang.resources.afterschool"
    label = "afterschool"
    verbose_name = "课后服务"

    def ready(self):
        from mofang.governance.timebank.services.work import register_duty_source
        from mofang.platform.demo.registry import register_demo

        from . import catalogue, facts, indicators, menu, roles  # noqa: F401  (roles: permissions and grants; catalogue: its signals)
        from .demo import build
        from .selectors import manual_duty_closed

        menu.register()
        facts.register()
        indicators.register()
        register_duty_source(manual_duty_closed)
        register_demo("afterschool", build)
