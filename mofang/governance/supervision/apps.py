"""教育督导与整改 — SPEC §3.3 (seeds 000, 003): inspector staffing rules, inspection visits with checklists, findings as 整改通知 on the case engine, 回头看, 督办单, 挂牌督导."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "mofang.governance.supervision"
    label = "supervision"
    verbose_name = "教育督导与整改"

    def ready(self):
        from mofang.platform.cases.registry import register_case_type
        from mofang.platform.demo.registry import register_demo

        from . import facts, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import RECTIFICATION
        from .demo import build

        register_case_type(RECTIFICATION)
        menu.register()
        facts.register()
        indicators.register()
        register_demo("supervision", build)
