from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "mofang.governance.enrollment"
    label = "enrollment"
    verbose_name = "入学早知道与义务教育招生"
