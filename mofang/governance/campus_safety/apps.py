from django.apps import AppConfig


class CampusSafetyConfig(AppConfig):
    name = "mofang.governance.campus_safety"
    label = "campus_safety"
    verbose_name = "校园及周边安全防控一件事"

    def ready(self):
        pass
