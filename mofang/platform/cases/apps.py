from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mofang.platform.cases"
    label = "cases"
    verbose_name = "闭环案件"

    def ready(self):
        from mofang.platform.jobs.services import register_periodic

        from .overdue import OVERDUE_SCAN

        register_periodic(OVERDUE_SCAN)
