from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mofang.platform.web"
    label = "web"
    verbose_name = "界面"

    def ready(self):
        from django.urls import register_converter

        from . import menu, todos  # noqa: F401  (the platform's own menu entries and to-dos)
        from .converters import IdConverter

        register_converter(IdConverter, "id")  # row ids in every route: `<id:pk>` (404 beyond a bigint)
