from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mofang.platform.cases"
    label = "cases"
    verbose_name = "闭环案件"

    def ready(self):
        from mofang.platform.jobs.services import register_periodic

        from .overdue import OVERDUE_SCAN

        register_periodic(OVERDUE_SCAN)
        from mofang.platform.web.registry import MenuEntry, register_menu

        # Shown to every signed-in user: each case type names its own view permission and the menu
        # takes one; the pages list only the types the user may view (none: an empty list).
        register_menu(MenuEntry("management", "闭环案件", "闭环案件", "cases:index", None, 80))
