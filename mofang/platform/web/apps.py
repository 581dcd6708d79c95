from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mofang.platform.web"
    label = "web"
    verbose_name = "界面"

    def ready(self):
        from . import menu  # noqa: F401  (registers the platform's own menu entries)
