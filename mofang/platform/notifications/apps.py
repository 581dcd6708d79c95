from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mofang.platform.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from . import inbox

        inbox.connect()  # the cached unread count follows every change of an inbox
