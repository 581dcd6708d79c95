"""教育智治一张图 / 一屏掌控 — SPEC §2 (seeds 001, 003): the region map coloured by an indicator, drill-down province → city → county → schools, indicator cards against targets, league tables, open and overdue items, 大屏 mode."""

from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "mofang.data.cockpit"
    label = "cockpit"
    verbose_name = "教育智治一张图"

    def ready(self):
        from . import menu, roles  # noqa: F401  (roles: permissions and grants)

        menu.register()
