from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "mofang.governance.timebank"
    label = "timebank"
    verbose_name = "教师时间银行"
