"""The scale-out queue: the same task delivered through Redis (RQ) instead of the DB worker."""

import os

import pytest
from django.test import override_settings

from mofang.platform.notifications.models import SMSMessage

REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL 未设置（CI 的 PostgreSQL 轮次会设置）")


def test_sms_delivery_runs_through_the_rq_backend(tree):
    from mofang.platform.notifications.tasks import deliver_sms

    queues = {"default": {"URL": REDIS_URL}, "mofang-test": {"URL": REDIS_URL}}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["mofang-test"]}}
    # django-tasks resets its backends on setting_changed, so override_settings swaps them
    with override_settings(RQ_QUEUES=queues, TASKS=tasks):
        import django_rq  # django-rq reads RQ_QUEUES when first imported
        from django_tasks_rq import Job
        from rq import SimpleWorker

        queue = django_rq.get_queue("mofang-test")
        try:
            queue.empty()
            msg = SMSMessage.objects.create(org=tree.school, phone="13800000001", text="经由Redis队列")
            result = deliver_sms.using(queue_name="mofang-test").enqueue(msg.pk)
            assert queue.count == 1  # waiting in Redis, not run inline
            # SimpleWorker runs in this process, so it sees the test's transaction
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
            result.refresh()
            msg.refresh_from_db()
            assert result.status == "SUCCESSFUL" and result.return_value == "sent"
            assert msg.status == "sent"
        finally:
            queue.empty()
