"""The platform's own to-do items: failed background work and undelivered SMS in scope."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.notifications.models import DeliveryStatus, SMSMessage

from .registry import TodoItem, register_todo


@register_todo
def platform_todos(request) -> list[TodoItem]:
    user = request.user
    since = timezone.now() - dt.timedelta(days=7)
    items = []
    failed = Job.objects.visible_to(user, "jobs.view_job").filter(status=JobStatus.FAILED, created_at__gte=since)
    items.append(TodoItem("近7天失败的后台任务", failed.count(), reverse("jobs:list") + "?status=failed", "warning"))
    if has_perm(user, "notifications.view_outbox"):
        undelivered = SMSMessage.objects.visible_to(user, "notifications.view_outbox").filter(
            status=DeliveryStatus.FAILED)
        items.append(TodoItem("发送失败的短信", undelivered.count(), reverse("web:outbox") + "?status=failed", "danger"))
    return items
