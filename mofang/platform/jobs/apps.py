from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "mofang.platform.jobs"
    label = "jobs"
    verbose_name = "后台任务"
