from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mofang.platform.cases"
    label = "cases"
    verbose_name = "闭环案件"

    def ready(self):
        from mofang.platform.jobs.services import register_periodic
        from mofang.platform.web.registry import MenuEntry, register_menu

        from . import api
        from .overdue import OVERDUE_SCAN

        register_periodic(OVERDUE_SCAN)
        # Shown to every signed-in user: each case type names its own view permission and a menu
        # entry takes one; the pages list only the types the user may view (none: an empty list).
        register_menu(MenuEntry("management", "闭环案件", "闭环案件", "cases:index", None, 80))
        api.register()
