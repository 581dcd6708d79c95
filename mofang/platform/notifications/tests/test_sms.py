import pytest
from django.test import override_settings

from mofang.platform.notifications import services
from mofang.platform.notifications.channels import SMSBackend
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import make_user


class FlakyBackend(SMSBackend):
    """Fails its first call, as a real gateway sometimes does."""

    calls = 0

    def send(self, phone, text):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise ConnectionError("网关超时")


class DeadBackend(SMSBackend):
    def send(self, phone, text):
        raise ConnectionError("网关不可用")


def test_sms_is_delivered_after_commit_into_the_outbox(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        msg = services.send_sms(phone="13800000001", text="【教育魔方】测试", org=tree.school)
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.attempts == 1 and msg.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send_sms(phone="13800000001", text="不应发送", org=tree.school)
    assert len(callbacks) == 1  # delivery waits for commit; a rollback drops it
    assert SMSMessage.objects.get().status == "queued"


@override_settings(MOFANG_SMS_BACKEND="mofang.platform.notifications.tests.test_sms.FlakyBackend")
def test_a_failed_delivery_is_retried(tree, django_capture_on_commit_callbacks):
    FlakyBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        msg = services.send_sms(phone="13800000001", text="重试", org=tree.school)
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.attempts == 2


@override_settings(MOFANG_SMS_BACKEND="mofang.platform.notifications.tests.test_sms.DeadBackend")
def test_delivery_gives_up_after_three_attempts_and_says_why(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        msg = services.send_sms(phone="13800000001", text="放弃", org=tree.school)
    msg.refresh_from_db()
    assert msg.status == "failed" and msg.attempts == 3 and "网关不可用" in msg.error


def test_outbox_page_shows_messages_to_county_administrators(client, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_sms(phone="13800000001", text="【教育魔方】毛玉梅老师：余额", org=tree.school)
    client.force_login(make_user("cs", "county_admin", tree.county))
    body = client.get("/outbox/").content.decode()
    assert "毛玉梅老师" in body and "已发送" in body


def test_teachers_have_no_outbox(client, tree):
    client.force_login(make_user("t", "teacher", tree.school))
    assert client.get("/outbox/").status_code == 404


@pytest.mark.parametrize("n", [3])
def test_bulk_sms_delivers_each(tree, django_capture_on_commit_callbacks, n):
    msgs = [SMSMessage(phone=f"1380000000{i}", text=f"第{i}条", org=tree.school) for i in range(n)]
    with django_capture_on_commit_callbacks(execute=True):
        services.send_sms_bulk(msgs)
    assert SMSMessage.objects.filter(status="sent").count() == n


def test_inbox_message_shows_unread_badge(client, tree):
    user = make_user("t", "teacher", tree.school)
    services.notify_inbox(user, "请假已批准", "您的请假已批准")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert '<span class="badge">1</span>' in body


def test_notify_fans_out_to_the_channels_the_user_has(tree, django_capture_on_commit_callbacks, mailoutbox):
    user = make_user("t", "teacher", tree.school)
    user.email, user.phone = "t@example.edu.cn", "13800000009"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            user, title="请假已批准", body="您的请假已批准", org=tree.school, channels=("inbox", "sms", "email")
        )
    assert user.inbox.get().title == "请假已批准"
    assert SMSMessage.objects.get().text == "【教育魔方】您的请假已批准"
    assert mailoutbox[0].subject == "教育魔方：请假已批准"


def test_notify_skips_channels_without_an_address(tree, django_capture_on_commit_callbacks, mailoutbox):
    user = make_user("t", "teacher", tree.school)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user, title="通知", body="内容", org=tree.school, channels=("sms", "email"))
    assert not SMSMessage.objects.exists() and not mailoutbox
