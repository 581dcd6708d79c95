from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mofang.platform.people"
    label = "people"
    verbose_name = "师生与家长"

    def ready(self):
        from mofang.platform.jobs.services import register_job_kind

        from . import importers, menu, roles  # noqa: F401  (permissions, menu entries, the binding to-do)

        # each county in its own transaction, and only students still in the previous year move:
        # a re-run finishes what a killed run left and changes nothing twice
        register_job_kind("people:promotion", "学年升级", retry_safe=True)
