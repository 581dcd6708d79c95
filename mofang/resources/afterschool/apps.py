"""课后服务 — SPEC §3.5 (seeds 001, 002, 004): courses per term, the selection window (first-come or lottery), roll call, the time bank's after-school source, participation and satisfaction."""
from django.apps import AppConfig


class AfterschoolConfig(AppConfig):
    name = "mofang.resources.afterschool"
    label = "afterschool"
    verbose_name = "课后服务"

    def ready(self):
        pass
