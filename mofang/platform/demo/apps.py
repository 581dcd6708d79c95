from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mofang.platform.demo"
    label = "demo"
    verbose_name = "演示数据"
