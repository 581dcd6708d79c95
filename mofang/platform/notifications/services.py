"""Sending notifications: rows are written in the caller's transaction, delivery after commit."""

from django.db import transaction

from .models import InboxMessage, SMSMessage
from .tasks import deliver_email, deliver_sms, deliver_sms_batch


def notify_inbox(user, title: str, body: str = "", link: str = "") -> InboxMessage:
    return InboxMessage.objects.create(recipient=user, title=title, body=body, link=link)


def send_sms(*, phone: str, text: str, org, recipient=None) -> SMSMessage:
    msg = SMSMessage.objects.create(phone=phone, text=text, org=org, recipient=recipient)
    transaction.on_commit(lambda: deliver_sms.enqueue(msg.pk))
    return msg


def send_sms_bulk(messages: list[SMSMessage]) -> list[SMSMessage]:
    created = SMSMessage.objects.bulk_create(messages)
    if not all(m.pk for m in created):  # backends without RETURNING ids
        raise RuntimeError("bulk SMS needs primary keys back from the database")
    ids = [m.pk for m in created]

    def enqueue():
        for start in range(0, len(ids), 500):
            deliver_sms_batch.enqueue(ids[start : start + 500])

    transaction.on_commit(enqueue)
    return created


def send_email(*, to: str, subject: str, body: str) -> None:
    transaction.on_commit(lambda: deliver_email.enqueue(to, subject, body))


def notify(
    user, *, title: str, body: str, org, link: str = "", channels: tuple[str, ...] = ("inbox",), phone: str = ""
) -> None:
    """One call for every channel: the in-app inbox, SMS (to `phone` or the user's own) and email.

    Channels without an address for this user are skipped, never an error.
    """
    if "inbox" in channels:
        notify_inbox(user, title, body, link)
    if "sms" in channels and (phone or user.phone):
        send_sms(phone=phone or user.phone, text=f"【教育魔方】{body}", org=org, recipient=user)
    if "email" in channels and user.email:
        send_email(to=user.email, subject=f"教育魔方：{title}", body=body)
