from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mofang.platform.cases"
    label = "cases"
    verbose_name = "闭环案件"

    def ready(self):
        from mofang.platform.jobs.services import register_periodic
        from mofang.platform.web.registry import MenuEntry, register_menu

        from . import api, open311_keys  # noqa: F401  (open311_keys: the Open311 right of the API keys)
        from .overdue import OVERDUE_SCAN
        from .registry import CASE_TYPES

        register_periodic(OVERDUE_SCAN)
        # Shown to whoever may view at least one case type (types register after this app).
        register_menu(
            MenuEntry(
                "management",
                "闭环案件",
                "闭环案件",
                "cases:index",
                lambda: tuple(sorted({t.view_permission for t in CASE_TYPES.values() if t.own_page is None})),
                80,
            )
        )
        api.register()
