from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mofang.platform.people"
    label = "people"
    verbose_name = "师生与家长"

    def ready(self):
        from . import importers, menu, roles  # noqa: F401  (permissions, menu entries, the binding to-do)
