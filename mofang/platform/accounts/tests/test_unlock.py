"""Lock-out per username and address, the per-address throttle across usernames, and 短信验证解锁
(issue 13): an attacker's wrong passwords no longer lock an administrator out of the account from
the administrator's own address, and a locked user unlocks with a code sent to the account's phone."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from mofang.platform.accounts import unlock
from mofang.platform.accounts.models import User
from mofang.platform.accounts.views.auth import LOGIN_FAILURES
from mofang.platform.audit.models import AuditEntry
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import make_user

PASSWORD = "Mofang#2026"
ATTACKER = "203.0.113.66"  # address A
OFFICE = "198.51.100.20"  # address B


def _login(username, password=PASSWORD, ip=OFFICE, client=None):
    return (client or Client()).post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _lock(username, ip=ATTACKER):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(username, "wrong-password", ip)


def _admin(tree, username="cs_admin", phone="13900001111", role="county_admin", org=None):
    user = make_user(username, role, org or tree.county, full_name="常山县管理员")
    user.phone = phone
    user.save(update_fields=["phone"])
    return user


def _send(account, ip=OFFICE, client=None, action="send"):
    return (client or Client()).post("/accounts/unlock/", {"account": account, "action": action}, REMOTE_ADDR=ip)


def _verify(account, code, ip=OFFICE, client=None):
    return (client or Client()).post(
        "/accounts/unlock/", {"account": account, "code": code, "action": "verify"}, REMOTE_ADDR=ip
    )


def _code_sent_to(phone) -> str:
    text = SMSMessage.objects.filter(phone=phone).latest("pk").text
    match = re.search(r"验证码为(\d{6})", text)
    assert match, text
    return match.group(1)


def _page_text(response) -> str:
    """The page without its CSRF token (which differs on every response)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


# --- lock-out per username + address ---------------------------------------------------------------


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(tree):
    _admin(tree)
    _lock("cs_admin", ATTACKER)
    locked = _login("cs_admin", PASSWORD, ATTACKER)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "账号已临时锁定" in body and "短信验证解锁" in body
    assert "/accounts/unlock/?account=cs_admin" in body
    # the administrator, at the office, logs in as usual
    assert _login("cs_admin", PASSWORD, OFFICE).status_code == 302
    # and the attacker's address is still locked for that username
    assert _login("cs_admin", PASSWORD, ATTACKER).status_code == 429


def test_one_address_guessing_across_usernames_is_refused_with_a_chinese_429(tree):
    """Five tries per username and address no longer protect an address spraying many usernames:
    the platform rate limiter refuses the address after 50 failures in 15 minutes, any username."""
    make_user("t_cs", "teacher", tree.school)
    client = Client()
    for i in range(LOGIN_FAILURES.rates[0].count):
        assert _login(f"guess{i}", "wrong-password", ATTACKER, client).status_code == 200
    refused = _login("t_cs", PASSWORD, ATTACKER, client)
    assert refused.status_code == 429 and "登录失败次数过多" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login("t_cs", PASSWORD, OFFICE).status_code == 302


# --- 短信验证解锁 -------------------------------------------------------------------------------------


def test_a_locked_user_unlocks_by_sms_code_and_logs_in_from_the_locked_address(tree):
    admin = _admin(tree)
    _lock("cs_admin", OFFICE)  # the administrator mistyped five times at the office
    assert _login("cs_admin").status_code == 429
    page = Client().get("/accounts/unlock/?account=cs_admin")
    assert page.status_code == 200 and 'value="cs_admin"' in page.content.decode()

    sent = _send("cs_admin")
    assert sent.status_code == 200 and "验证码已发送到登记的手机号" in sent.content.decode()
    sms = SMSMessage.objects.get(phone="13900001111")
    assert sms.recipient == admin and "解锁账号cs_admin" in sms.text
    code = _code_sent_to("13900001111")

    done = _verify("cs_admin", code)
    assert done.status_code == 200 and "账号已解锁" in done.content.decode()
    admin.refresh_from_db()
    assert admin.locked_at is None
    entry = AuditEntry.objects.get(summary__contains="通过短信验证码解锁")
    assert entry.actor == admin and entry.org == tree.county and entry.before["locked_at"]
    assert _login("cs_admin").status_code == 302
    # the code is single-use
    again = _verify("cs_admin", code)
    assert again.status_code == 400 and "验证码已失效" in again.content.decode()


def test_the_unlock_clears_every_address_and_works_with_the_phone_number(tree):
    from axes.models import AccessAttempt

    _admin(tree)
    _lock("cs_admin", ATTACKER)
    _lock("cs_admin", OFFICE)
    assert AccessAttempt.objects.filter(username="cs_admin").count() == 2
    _send("139 0000 1111")  # the phone, as typed with spaces
    assert _verify("13900001111", _code_sent_to("13900001111")).status_code == 200
    assert not AccessAttempt.objects.filter(username="cs_admin").exists()
    assert _login("cs_admin", ip=ATTACKER).status_code == 302


def test_the_page_does_not_tell_whether_an_account_exists_or_is_locked(tree):
    _admin(tree)  # exists, not locked
    _admin(tree, "locked_admin", "13900002222")
    _lock("locked_admin")
    answers = {
        name: _page_text(_send(name, ip=f"198.51.100.{i}"))
        for i, name in enumerate(["locked_admin", "cs_admin", "nobody_here", "13900009999"])
    }
    assert len({a.replace(n, "") for n, a in answers.items()}) == 1
    # only the locked account got a text
    assert list(SMSMessage.objects.values_list("phone", flat=True)) == ["13900002222"]
    # codes tried against a name without an account get the same answers as against a real one
    for name in ("locked_admin", "nobody_here"):
        wrong = [_verify(name, "000000" if i < 4 else "111111") for i in range(5)]
        assert [r.status_code for r in wrong] == [400] * 5
        assert "验证码错误，请重新输入" in wrong[0].content.decode()
        assert "验证码错误次数过多已作废" in wrong[-1].content.decode()


def test_five_wrong_codes_void_it_and_a_code_expires_after_five_minutes(tree):
    admin = _admin(tree)
    _lock("cs_admin")
    _send("cs_admin")
    code = _code_sent_to("13900001111")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        _verify("cs_admin", wrong)
    assert "验证码已失效" in _verify("cs_admin", code).content.decode()
    admin.refresh_from_db()
    assert admin.locked_at is not None

    later = timezone.now() + dt.timedelta(minutes=2)
    unlock.request_unlock_code("cs_admin", client_ip=OFFICE, now=later)
    code = _code_sent_to("13900001111")
    with pytest.raises(Exception, match="验证码已失效"):
        unlock.unlock_with_code("cs_admin", code, now=later + dt.timedelta(minutes=5, seconds=1))


def test_unlock_codes_are_limited_per_name_per_address_and_per_phone(tree):
    _admin(tree)
    _lock("cs_admin")
    assert _send("cs_admin").status_code == 200
    again = _send("cs_admin", action="resend")
    assert again.status_code == 400 and "验证码已发送，请60秒后再获取" in again.content.decode()
    assert 'id="id_account"' in again.content.decode()
    # one address asking for name after name
    for i in range(unlock.CODES_PER_ADDRESS.rates[0].count):
        assert _send(f"name{i}", ip=ATTACKER).status_code == 200
    flood = _send("another_name", ip=ATTACKER)
    assert flood.status_code == 429 and "获取解锁验证码过于频繁" in flood.content.decode()
    # per phone (the parents' login-code limit, shared): silently no second SMS within a minute
    assert _send("13900001111", ip="198.51.100.99").status_code == 200
    assert SMSMessage.objects.filter(phone="13900001111").count() == 1


def test_an_empty_name_or_code_is_refused_naming_the_field(tree):
    r = Client().post("/accounts/unlock/", {"account": "  ", "action": "send"})
    assert r.status_code == 400 and "请填写用户名或手机号" in r.content.decode()
    r = _verify("cs_admin", "")
    assert r.status_code == 400 and "请填写短信验证码" in r.content.decode()
    r = _verify("cs_admin", "12ab")
    assert r.status_code == 400 and "验证码" in r.content.decode()


@pytest.mark.parametrize("role", ["province_admin", "city_admin"])
def test_bureau_administrators_still_pass_totp_after_an_sms_unlock(tree, role):
    org = tree.province if role == "province_admin" else tree.city
    _admin(tree, "boss", "13900003333", role=role, org=org)
    _lock("boss", OFFICE)
    _send("boss")
    assert _verify("boss", _code_sent_to("13900003333")).status_code == 200
    client = Client()
    assert _login("boss", client=client).status_code == 302
    r = client.get("/students/", REMOTE_ADDR=OFFICE)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")


def test_the_login_page_links_to_the_sms_unlock(client, db):
    assert '<a href="/accounts/unlock/">短信验证解锁</a>' in client.get("/accounts/login/").content.decode()


def test_an_unlock_code_does_not_void_a_parent_login_code_on_the_same_phone(tree):
    from mofang.platform.accounts import phone

    _admin(tree)
    _lock("cs_admin")
    login_row = phone.request_code("13900001111")
    later = timezone.now() + dt.timedelta(minutes=2)
    unlock.request_unlock_code("cs_admin", client_ip=OFFICE, now=later)
    login_row.refresh_from_db()
    assert not login_row.used
    assert User.objects.get(username="cs_admin").locked_at is not None
