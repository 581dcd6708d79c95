"""心理健康护航 — SPEC §3.8 (seeds 000, 003): screening campaigns (PHQ-9, GAD-7), crisis alerts, the 发现→咨询→干预→救援→帮扶→诊疗→回访 case loop, hotline records; strictest scope."""

from django.apps import AppConfig


class MentalHealthConfig(AppConfig):
    name = "mofang.governance.mentalhealth"
    label = "mentalhealth"
    verbose_name = "心理健康护航"

    def ready(self):
        from mofang.platform.cases.registry import CASE_TYPES, register_case_type
        from mofang.platform.demo.registry import register_demo

        from . import facts, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import CRISIS
        from .demo import build

        menu.register()
        facts.register()
        indicators.register()
        register_demo("mentalhealth", build)
        if CASE_TYPES.get(CRISIS.code) is not CRISIS:
            register_case_type(CRISIS)
