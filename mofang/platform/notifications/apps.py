from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mofang.platform.notifications"
    label = "notifications"
    verbose_name = "消息通知"
