"""政令一键智达 / 执行一贯到底 — SPEC §3.10 (seed 003): notices and tasks to units picked by rule, forms to fill in (填报), 签收, answers by a deadline, reminders, aggregated export, forwarding down the tree."""

from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "mofang.governance.directives"
    label = "directives"
    verbose_name = "政令一键智达"

    def ready(self):
        from mofang.platform.demo.registry import register_demo

        from . import menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build

        menu.register()
        register_demo("directives", build)
