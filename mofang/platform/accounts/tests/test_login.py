import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mofang.platform.accounts.models import User
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_user

PASSWORD = "Mofang#2026"


def test_production_hashes_passwords_with_argon2():
    import mofang.settings as prod

    assert prod.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_is_audited(client, tree):
    make_user("cs_admin", "county_admin", tree.county)
    r = client.post("/accounts/login/", {"username": "cs_admin", "password": PASSWORD})
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="login", org=tree.county).count() == 1


def test_account_locks_after_five_failures_even_with_the_right_password(client, tree):
    make_user("cs_admin", "county_admin", tree.county)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "cs_admin", "password": "wrong-password"})
    r = client.post("/accounts/login/", {"username": "cs_admin", "password": PASSWORD})
    assert r.status_code == 429
    assert "账号已临时锁定" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_per_school_network(client, tree):
    make_user("teacher_a", "teacher", tree.school)
    make_user("teacher_b", "teacher", tree.school)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "teacher_a", "password": "wrong-password"})
    r = client.post("/accounts/login/", {"username": "teacher_b", "password": PASSWORD})
    assert r.status_code == 302


def test_session_expires_when_idle_but_is_not_written_on_every_request(client, tree):
    """Activity moves the expiry on (idle expiry, at most 8 hours), but the session row is written
    at most every five minutes, not on every request."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mofang.platform.accounts.middleware import IDLE_REFRESH_SECONDS

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    make_user("teacher_a", "teacher", tree.school)
    client.post("/accounts/login/", {"username": "teacher_a", "password": PASSWORD})
    client.get("/")
    key = client.session.session_key
    with CaptureQueriesContext(connection) as q:
        client.get("/")
    assert not [x for x in q.captured_queries if "UPDATE" in x["sql"] and "django_session" in x["sql"]]
    # the last refresh was longer ago than the window (as if the user had been idle for a while)
    session = client.session
    session["_refreshed"] -= IDLE_REFRESH_SECONDS + 1
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get("/")
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


@pytest.mark.parametrize("role", ["province_admin", "city_admin"])
def test_bureau_administrators_must_pass_totp_before_any_page(client, tree, role):
    org = tree.province if role == "province_admin" else tree.city
    make_user("boss", role, org)
    client.post("/accounts/login/", {"username": "boss", "password": PASSWORD})
    r = client.get("/students/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")
    page = client.get("/accounts/otp/").content.decode()
    assert "扫描二维码" in page  # first login enrols the authenticator
    device = TOTPDevice.objects.get(user__username="boss")
    bad = client.post(
        "/accounts/otp/?next=/students/",
        {"token": "000000" if pyotp.TOTP(_b32(device)).now() != "000000" else "111111"},
    )
    assert "动态验证码错误" in bad.content.decode()
    throttled = client.post("/accounts/otp/?next=/students/", {"token": pyotp.TOTP(_b32(device)).now()})
    assert "验证尝试过于频繁" in throttled.content.decode()  # django-otp backs off after a failure
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/accounts/otp/?next=/students/", {"token": pyotp.TOTP(_b32(device)).now()})
    assert ok.status_code == 302 and ok["Location"] == "/students/"
    assert client.get("/students/").status_code == 200


def test_county_administrator_is_not_forced_to_totp(client, tree):
    make_user("cs_admin", "county_admin", tree.county)
    client.post("/accounts/login/", {"username": "cs_admin", "password": PASSWORD})
    assert client.get("/students/").status_code == 200


def test_totp_code_must_be_six_digits(client, tree):
    make_user("boss", "province_admin", tree.province)
    client.force_login(User.objects.get(username="boss"))
    r = client.post("/accounts/otp/", {"token": "12ab56"})
    assert "动态验证码应为6位数字" in r.content.decode()


def _b32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


def test_login_page_links_to_the_public_services(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert '<a href="/enrollment/">入学早知道</a>' in body


def test_signing_out_returns_to_the_login_page(client, tree):
    """退出 posts to logout: the user lands on the login page, signed out (it answered 500 before:
    Django's default logged_out template does not exist here)."""
    client.force_login(make_user("logout_admin", "county_admin", tree.county))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_enrolling_the_authenticator_is_audited_once(client, tree):
    boss = make_user("boss", "province_admin", tree.province)
    client.force_login(boss)
    client.get("/accounts/otp/")  # the QR code: an unconfirmed device, nothing audited yet
    device = TOTPDevice.objects.get(user=boss)
    assert not AuditEntry.objects.filter(actor=boss).exists()
    ok = client.post("/accounts/otp/", {"token": pyotp.TOTP(_b32(device)).now()})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    entry = AuditEntry.objects.get(actor=boss)
    assert entry.action == "update" and "绑定了动态口令" in entry.summary and entry.org == tree.province
    # later second-factor checks are not enrolments
    device.throttle_reset()
    client.post("/accounts/logout/")
    client.force_login(boss)
    device.refresh_from_db()
    assert client.post("/accounts/otp/", {"token": pyotp.TOTP(_b32(device)).now()}).status_code in (200, 302)
    assert AuditEntry.objects.filter(actor=boss).count() == 1
