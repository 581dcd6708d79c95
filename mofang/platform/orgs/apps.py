from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "mofang.platform.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self):
        from . import importers  # noqa: F401  (registers the school register import)
