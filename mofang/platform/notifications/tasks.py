"""Background delivery with retry: a request never waits for an SMS gateway."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .channels import send_email_now, sms_backend
from .models import DeliveryStatus, SMSMessage

MAX_ATTEMPTS = 3


@task()
def deliver_sms(message_id: int) -> str:
    msg = SMSMessage.objects.filter(pk=message_id, status=DeliveryStatus.QUEUED).first()
    if msg is None:
        return "skipped"
    try:
        sms_backend().send(msg.phone, msg.text)
    except Exception as exc:  # noqa: BLE001 SMS sending: any provider failure is recorded and retried later
        attempts = msg.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        SMSMessage.objects.filter(pk=msg.pk).update(
            attempts=attempts, error=str(exc)[:300], status=DeliveryStatus.FAILED if failed else DeliveryStatus.QUEUED
        )
        if not failed:
            retry_later(msg.pk, attempts)
        return "failed" if failed else "retry"
    SMSMessage.objects.filter(pk=msg.pk).update(
        status=DeliveryStatus.SENT, attempts=msg.attempts + 1, sent_at=timezone.now(), error=""
    )
    return "sent"


@task()
def deliver_sms_batch(message_ids: list[int]) -> int:
    """Many messages in one task (monthly statements): each is still delivered and retried alone."""
    return sum(deliver_sms.call(i) == "sent" for i in message_ids)


def retry_later(message_id: int, attempts: int) -> None:
    backend_task = deliver_sms
    if backend_task.get_backend().supports_defer:
        backend_task = deliver_sms.using(run_after=timezone.now() + dt.timedelta(minutes=2**attempts))
    transaction.on_commit(lambda: backend_task.enqueue(message_id))


@task()
def deliver_email(to: str, subject: str, body: str) -> None:
    send_email_now(to, subject, body)
