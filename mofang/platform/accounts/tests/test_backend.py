"""The authentication backend's read of a signed-in request's user (one statement compiled once):
the same user the ORM reads, nobody who may not sign in, and sessions made before it still valid."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from mofang.platform.accounts import backends
from mofang.platform.accounts.backends import AccountBackend
from mofang.platform.accounts.models import User
from mofang.platform.testing import make_user


def test_the_user_read_is_the_user_the_orm_reads(tree):
    user = make_user("bk_same", "teacher", tree.school, full_name="毛玉梅")
    user.phone = "13800000001"
    user.save()
    got = AccountBackend().get_user(str(user.pk))
    want = User.objects.get(pk=user.pk)
    assert got is not None
    for f in User._meta.concrete_fields:
        assert getattr(got, f.attname) == getattr(want, f.attname), f.name
    assert got._state.adding is False and got._state.db == want._state.db


@pytest.mark.parametrize("user_id", ["999999999", "abc", None, ""])
def test_no_user_for_an_id_that_is_not_one(db, user_id):
    assert AccountBackend().get_user(user_id) is None


def test_a_deactivated_account_is_signed_out_on_its_next_page(tree):
    user = make_user("bk_off", "teacher", tree.school)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("web:apps")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert AccountBackend().get_user(user.pk) is None
    assert client.get(reverse("web:apps")).status_code == 302


def test_a_session_signed_in_before_this_backend_stays_signed_in(tree, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    user = make_user("bk_legacy", "teacher", tree.school)
    old = SessionStore()
    old[SESSION_KEY] = str(user.pk)
    old[BACKEND_SESSION_KEY] = backends.LEGACY_PATH
    old[HASH_SESSION_KEY] = user.get_session_auth_hash()
    old.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    r = client.get(reverse("web:apps"))
    assert r.status_code == 200 and "bk_legacy" in r.content.decode()
    assert SessionStore(old.session_key).load()[BACKEND_SESSION_KEY] == backends.PATH
