from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mofang.platform.web"
    label = "web"
    verbose_name = "界面"

    def ready(self):
        from . import menu, todos  # noqa: F401  (the platform's own menu entries and to-dos)
