"""控辍保学 — SPEC §3 (seed 003): the population register's children of compulsory-education age
matched against the roll by ID-number hash; every child out of school becomes a county case
(核查 → 劝返 → 复学 / 说明) and 复学 closes the loop on the roll through its service functions."""

from django.apps import AppConfig


class DropoutControlConfig(AppConfig):
    name = "mofang.governance.dropout_control"
    label = "dropout_control"
    verbose_name = "控辍保学"

    def ready(self):
        from mofang.platform.cases.registry import register_case_type

        from . import facts, importers, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import DROPOUT_CASE

        register_case_type(DROPOUT_CASE)
        importers.register()
        menu.register()
        facts.register()
        indicators.register()
        from mofang.platform.demo.registry import register_demo

        from .demo import build

        register_demo("dropout_control", build)
