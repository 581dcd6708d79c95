"""The demo story's account to-dos for admin_cs (常山县)."""

import pytest
from django.db import transaction

from mofang.platform.accounts.models import User
from mofang.platform.demo.services import build_demo
from mofang.platform.demo.story import DEMO_PASSWORD
from mofang.platform.notifications.models import SMSMessage


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(scale=0.05, seed=7, log=lambda _m: None)
        transaction.set_rollback(True)


@pytest.fixture
def demo(_built, db):
    return _built


def test_admin_cs_finds_a_locked_teacher_and_a_new_account_never_used(demo, client):
    assert client.post("/accounts/login/", {"username": "admin_cs", "password": DEMO_PASSWORD}).status_code == 302
    home = client.get("/").content.decode()
    assert "待解锁账号" in home and "已开通但从未登录的账号" in home
    locked = client.get("/accounts/users/?status=locked").content.decode()
    assert 'class="total-count">1<' in locked and "teacher_cs1c" in locked
    new = User.objects.get(username="teacher_cs1d")
    assert new.last_login is None and new.must_change_password and new.staff.org.code == "3308220001"
    assert SMSMessage.objects.filter(phone=new.phone, text__contains="teacher_cs1d").exists()
    page = client.get(f"/accounts/users/{new.pk}/").content.decode()
    assert "从未登录" in page and "新建账号 teacher_cs1d" in page
    locked_user = User.objects.get(username="teacher_cs1c")
    assert client.post(f"/accounts/users/{locked_user.pk}/unlock/").status_code == 302
    other = client.__class__()
    assert other.post("/accounts/login/", {"username": "teacher_cs1c", "password": DEMO_PASSWORD}).status_code == 302
