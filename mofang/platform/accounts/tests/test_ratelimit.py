"""The one rate limiter: it keys on the real client address (X-Forwarded-For only from a trusted
proxy), keeps its count in the database (so every web process sees it), refuses with 429 and a
Chinese message, and limits the login and SMS-code pages."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from mofang.platform.accounts import phone
from mofang.platform.accounts.models import RateLimitBucket
from mofang.platform.accounts.ratelimit import Limit, Rate, RateLimited, client_ip, consume, purge_stale
from mofang.platform.accounts.views.auth import LOGIN_FAILURES
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import make_user

PASSWORD = "Mofang#2026"
PROXY = "10.0.0.5"
behind_the_proxy = override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])


def _ip(remote_addr, forwarded=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says():
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert _ip("::ffff:203.0.113.7") == "203.0.113.7"


@behind_the_proxy
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client():
    assert _ip(PROXY, "203.0.113.7") == "203.0.113.7"
    # whatever the client wrote itself stands left of what our proxy appended
    assert _ip(PROXY, "1.1.1.1, 203.0.113.7") == "203.0.113.7"
    # two proxies of ours in a row; ports are dropped
    assert _ip(PROXY, "203.0.113.7:51234, 10.0.0.9") == "203.0.113.7"
    assert _ip(PROXY, "[2001:db8::1]:443") == "2001:db8::1"
    # no header, or nothing but our own proxies: the left-most hop
    assert _ip(PROXY) == PROXY
    assert _ip(PROXY, "10.0.0.8, 10.0.0.9") == "10.0.0.8"
    # garbage where our proxy should have written an address: stop at the last hop we trust
    assert _ip(PROXY, "203.0.113.7, unknown") == PROXY


@behind_the_proxy
def test_a_forwarded_header_from_an_untrusted_peer_is_ignored():
    assert _ip("198.51.100.1", "203.0.113.7") == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=["unix"])
def test_a_proxy_on_a_unix_socket_can_be_trusted():
    assert _ip("", "203.0.113.7") == "203.0.113.7"
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_bad_trusted_proxy_setting_stops_the_start_in_chinese(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import mofang.settings as prod

    monkeypatch.setenv("MOFANG_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
    with pytest.raises(ImproperlyConfigured, match="proxy.local.*不是IP地址或网段"):
        importlib.reload(prod)
    monkeypatch.delenv("MOFANG_TRUSTED_PROXIES")
    importlib.reload(prod)


THREE_A_MINUTE = Limit("test.three", (Rate(3, 60, "太频繁了，请1分钟后再试"),))


def test_the_count_is_in_the_database_and_a_refusal_is_not_counted(db):
    start = timezone.now()
    for i in range(3):
        THREE_A_MINUTE.consume("203.0.113.7", now=start + dt.timedelta(seconds=i))
    cache.clear()  # nothing in the (per-process) cache: every web process sees this count
    with pytest.raises(RateLimited) as refused:
        THREE_A_MINUTE.consume("203.0.113.7", now=start + dt.timedelta(seconds=30))
    assert refused.value.status == 429 and refused.value.messages == ["太频繁了，请1分钟后再试"]
    THREE_A_MINUTE.consume("203.0.113.8", now=start + dt.timedelta(seconds=30))  # another client
    # a sliding window: one place is free again a minute after the first request
    THREE_A_MINUTE.consume("203.0.113.7", now=start + dt.timedelta(seconds=60, milliseconds=1))
    buckets = RateLimitBucket.objects.filter(limit="test.three")
    assert sorted(len(b.hits) for b in buckets) == [1, 3]  # the refused try left no mark
    assert not any("203.0.113" in b.key for b in buckets)  # no address kept in clear


def test_several_limits_are_all_or_nothing(db):
    one = Limit("test.one", (Rate(1, 60, "一"),))
    consume((THREE_A_MINUTE, "s"), (one, "a"))
    with pytest.raises(RateLimited, match="一"):
        consume((THREE_A_MINUTE, "s"), (one, "a"))
    assert len(RateLimitBucket.objects.get(limit="test.three").hits) == 1


def test_stale_buckets_are_purged_by_a_daily_job(db):
    from mofang.platform.jobs.services import PERIODIC

    THREE_A_MINUTE.consume("old", now=timezone.now() - dt.timedelta(days=2))
    THREE_A_MINUTE.consume("new")
    assert "accounts.ratelimit_purge" in PERIODIC
    assert purge_stale() == 1 and RateLimitBucket.objects.count() == 1


# --- the endpoints --------------------------------------------------------------------------------


def _login(client, username, password="wrong-password", **meta):
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta)


@behind_the_proxy
def test_failed_logins_are_limited_per_real_client_address(tree):
    make_user("t_cs", "teacher", tree.school)
    via_proxy = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(49):
        LOGIN_FAILURES.hit("203.0.113.7")
    assert _login(Client(), "nobody", **via_proxy).status_code == 200  # the 50th failure
    r = _login(Client(), "t_cs", PASSWORD, **via_proxy)  # even the right password waits now
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in Client().session
    # another client behind the same proxy, and a forged header from outside, log in as usual
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert _login(Client(), "t_cs", PASSWORD, **other).status_code == 302
    forged = {"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert _login(Client(), "t_cs", PASSWORD, **forged).status_code == 302


def test_a_successful_login_is_not_counted(tree):
    make_user("t_cs", "teacher", tree.school)
    assert _login(Client(), "t_cs", PASSWORD).status_code == 302
    assert not any(b.hits for b in RateLimitBucket.objects.filter(limit="accounts.login.address"))


@behind_the_proxy
def test_axes_records_the_real_client_address(tree):
    from axes.models import AccessAttempt

    make_user("t_cs", "teacher", tree.school)
    _login(Client(), "t_cs", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    assert AccessAttempt.objects.get(username="t_cs").ip_address == "203.0.113.7"


@behind_the_proxy
def test_sms_codes_are_limited_per_real_client_address(tree):
    via_proxy = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for i in range(29):
        phone.CODES_PER_ADDRESS.consume("203.0.113.7")
    assert Client().post("/accounts/phone/", {"phone": "13900000001", "action": "send"}, **via_proxy).status_code == 200
    r = Client().post("/accounts/phone/", {"phone": "13900000002", "action": "send"}, **via_proxy)
    assert r.status_code == 429 and "获取验证码过于频繁" in r.content.decode()
    assert list(SMSMessage.objects.values_list("phone", flat=True)) == ["13900000001"]
    forged = {"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert Client().post("/accounts/phone/", {"phone": "13900000002", "action": "send"}, **forged).status_code == 200
