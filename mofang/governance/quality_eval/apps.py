"""学生综合素质评价 — SPEC §3.14 (seed 001): 德智体美劳 records with evidence, review, 公示 with objections, archive per term."""

from django.apps import AppConfig


class QualityEvalConfig(AppConfig):
    name = "mofang.governance.quality_eval"
    label = "quality_eval"
    verbose_name = "综合素质评价"

    def ready(self):
        from mofang.platform.demo.registry import register_demo

        from . import facts, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build

        menu.register()
        facts.register()
        indicators.register()
        # the story pulls the fitness results and after-school courses of the story school in
        register_demo("quality_eval", build, after=("fitness", "afterschool"))
