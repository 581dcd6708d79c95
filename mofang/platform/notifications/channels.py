"""Delivery channels behind one interface. The backend is chosen by settings."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class SMSBackend:
    """Send one SMS or raise. Provider backends (阿里云, 腾讯云 …) subclass this."""

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class OutboxSMSBackend(SMSBackend):
    """The default: the outbox row itself is the delivery; nothing leaves the machine."""

    def send(self, phone: str, text: str) -> None:
        return None


def sms_backend() -> SMSBackend:
    return import_string(settings.MOFANG_SMS_BACKEND)()


def send_email_now(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
