from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "mofang.platform.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self):
        from mofang.platform.web.registry import MenuEntry, register_menu

        from .roles import VIEW

        register_menu(MenuEntry("platform", "工作日历", "工作日历", "workdays:calendar", VIEW, 60))
