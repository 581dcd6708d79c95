"""视力健康 — SPEC §3.7 (seed 003): vision screening, myopia classification, 近视率 against the one-point-a-year target, letters to parents."""

from django.apps import AppConfig


class VisionConfig(AppConfig):
    name = "mofang.governance.vision"
    label = "vision"
    verbose_name = "视力健康"

    def ready(self):
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.imports.base import register_importer

        from . import facts, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .importers import ScreeningImporter

        menu.register()
        facts.register()
        indicators.register()
        register_demo("vision", build)
        register_importer(ScreeningImporter())
        from . import api  # noqa: F401  (its write endpoint for other systems; after roles, importers)
