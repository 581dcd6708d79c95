from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mofang.platform.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self):
        from . import menu, roles  # noqa: F401  (the key-management permission, the core's write kinds, the menu)
        # a module registers its write kinds and endpoints from its own api.py, imported by its ready()
