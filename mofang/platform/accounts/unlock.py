"""短信验证解锁: a user locked out by wrong passwords unlocks the account with a code sent by SMS to the
account's own phone (issue 13), without waiting for the lock to expire or for an administrator.

- The user types the username or the phone number. When that names active accounts with a phone
  that are locked out now (django-axes refuses them from some address), a 6-digit code is sent to
  the phone through the platform's SMS outbox (notifications.send_sms, as a password reset by SMS
  and the parents' login code are). The code is phone.new_code/spend_code's: stored only as a keyed
  hash, 5 minutes, single use, void after 5 wrong tries; asking again voids the older one.
- Nothing tells whether such an account exists: the page answers the same for every name (a code
  row is stored for every name asked for, so that trying codes against a name without an account
  runs into the same 验证码错误 / 已作废 / 已失效 answers), and the limits a requester can see key
  on what was typed and on the client address, never on the account's phone.
- Rate limits (the platform's one limiter): per name typed 1 a minute and 5 an hour (a 400 naming
  the field), per client address 10 an hour (429). Per phone the parents' limit
  (phone.CODES_PER_PHONE, shared: one budget of SMS codes per phone) is applied silently: when it
  is full no SMS goes out and the page says what it always says.
- The right code clears django-axes' attempts of each such account's username (from every
  address) and its lock mark (locked_at), and audits it with the account as the actor. Nothing
  else changes: the password is still needed, and province/city administrators still pass TOTP.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.notifications.services import send_sms
from mofang.platform.people import identity
from mofang.platform.text import normalize_code

from .models import PhoneCode, User
from .phone import CODES_PER_PHONE, new_code, spend_code
from .ratelimit import Limit, Rate, RateLimited, consume
from .services import _reset_lockout, account_org, account_snapshot

CODES_PER_NAME = Limit(
    "accounts.unlock.name",
    (Rate(1, 60, "验证码已发送，请60秒后再获取"), Rate(5, 3600, "该账号获取解锁验证码过于频繁，请1小时后再试")),
    status=400,
)
CODES_PER_ADDRESS = Limit(
    "accounts.unlock.address", (Rate(10, 3600, "获取解锁验证码过于频繁：同一网络1小时内最多获取10次，请稍后再试"),)
)
MAX_NAME = 150  # a username's length (AbstractUser)


def normalize_name(value: str) -> str:
    """What was typed, as looked up: a phone number (full-width digits and spaces allowed) or a
    username (stripped). Raises ValidationError naming the field when it is empty or too long."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(gettext("请填写用户名或手机号"), code="required")
    if len(text) > MAX_NAME:
        raise ValidationError(gettext("用户名或手机号过长（最多150个字符）"), code="max_length")
    digits = normalize_code(text).removeprefix("+86")
    if digits.isdigit() and len(digits) == 11 and digits.startswith("1"):
        try:
            return identity.validate_mobile(digits)
        except ValidationError:
            pass  # eleven digits that are no mobile number: a username made of digits
    return text


def _key(name: str) -> str:
    return identity.lookup_hash(f"unlock:{name}")


def _salt(name: str) -> str:
    return f"unlock:{name}"


def _accounts(name: str) -> list[User]:
    """The active accounts with a phone that `name` names: the username, or every account with
    this phone (one phone, one owner: the code goes to the phone they share)."""
    rows = User.objects.filter(is_active=True).exclude(phone="")
    if name.isdigit() and len(name) == 11:
        rows = rows.filter(Q(phone=name) | Q(username=name))
    else:
        rows = rows.filter(username=name)
    accounts = list(rows.order_by("pk"))
    # a username made of digits and a phone of other accounts: only the accounts on one phone
    return [u for u in accounts if u.phone == accounts[0].phone] if accounts else []


def _locked_usernames(usernames: list[str], *, now) -> set[str]:
    from axes.models import AccessAttempt

    since = now - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=since
        ).values_list("username", flat=True)
    )


def request_unlock_code(name: str, *, client_ip: str, now=None) -> None:
    """Apply the visible limits, store a code for `name` and, when it names locked accounts with a
    phone, text the code to that phone. Answers the same whether or not it does (RateLimited or
    the name's ValidationError are the only refusals)."""
    name = normalize_name(name)
    now = now or timezone.now()
    key = _key(name)
    with transaction.atomic():
        consume((CODES_PER_NAME, key), (CODES_PER_ADDRESS, client_ip), now=now)
        _row, code = new_code(PhoneCode.Purpose.UNLOCK, key, _salt(name), now=now)
        accounts = _accounts(name)
        locked = _locked_usernames([u.username for u in accounts], now=now)
        accounts = [u for u in accounts if u.username in locked]
        if not accounts:
            return
        phone = accounts[0].phone
        try:
            CODES_PER_PHONE.consume(identity.lookup_hash(phone), now=now)
        except RateLimited:
            return  # silently: the requester must not learn that the name has an account
        who = accounts[0].username if len(accounts) == 1 else "、".join(u.username for u in accounts)
        send_sms(
            phone=phone,
            org=account_org(accounts[0]),
            recipient=accounts[0],
            text=f"【教育魔方】您正在解锁账号{who}，验证码为{code}，5分钟内有效。如非本人操作，请忽略并尽快修改密码。",
        )


def unlock_with_code(name: str, code: str, *, now=None) -> list[User]:
    """Check the code for `name`; when right, clear the lock-out of every account it names (all
    addresses) and audit each. Returns the accounts unlocked (none when the name has none locked). Raises
    ValidationError for a wrong, void or expired code."""
    name = normalize_name(name)
    spend_code(PhoneCode.Purpose.UNLOCK, _key(name), _salt(name), code, now=now)
    unlocked = []
    with transaction.atomic():
        for user in _accounts(name):
            before = account_snapshot(user)
            removed = _reset_lockout(user)
            if not removed and user.locked_at is None:
                continue  # not locked (another account on the same phone): nothing to clear or audit
            user.locked_at = None
            user.save(update_fields=["locked_at"])
            record(
                actor=user,
                action=AuditAction.UPDATE,
                obj=user,
                org=account_org(user),
                summary=f"{user.username} 通过短信验证码解锁了自己的账号，清除{removed}条登录失败记录",
                before=before,
                after=account_snapshot(user),
            )
            unlocked.append(user)
    return unlocked
