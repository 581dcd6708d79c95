from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "mofang.governance.supervision"
    label = "supervision"
    verbose_name = "教育督导与整改"

    def ready(self):
        pass
