"""体质健康 — SPEC §3.7 (seed 003): test results by 《国家学生体质健康标准（2014年修订）》, scores, bands, 合格率/优良率, parents' reports."""

from django.apps import AppConfig


class FitnessConfig(AppConfig):
    name = "mofang.governance.fitness"
    label = "fitness"
    verbose_name = "体质健康"

    def ready(self):
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.imports.base import register_importer

        from . import facts, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .importers import FitnessResultImporter

        register_importer(FitnessResultImporter())
        from . import api  # noqa: F401  (its write endpoint for other systems; after roles, importers)

        menu.register()
        facts.register()
        indicators.register()
        register_demo("fitness", build)
