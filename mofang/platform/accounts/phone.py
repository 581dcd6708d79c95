"""Parents and the public log in with a mainland mobile number and a one-time SMS code (SPEC §1.3).

- A code has 6 digits, is stored only as a keyed hash (identity.lookup_hash), lives 5 minutes and
  is void after 5 wrong tries (new_code/spend_code, shared with 短信验证解锁 in accounts.unlock).
- Rate limits (the platform's one limiter, accounts.ratelimit, in the database so that every process
  sees the same count): per phone at most 1 code per 60 seconds and 5 per hour; per client address
  at most 30 an hour (one network cannot send codes to phone after phone). The limiter locks the
  phone's bucket row until the code is stored, so concurrent requests for one phone — a double
  click, a retry storm — are checked one after the other and exactly one code (and one SMS) comes out.
- The code is sent through notifications.send_sms, so with the default backend it lands in the
  outbox. The message's org is the school of the guardian's first child when the phone is
  known, else the root.
- Verifying logs in the User whose `phone` matches, unless that user holds any role other than
  家长 (staff keep password, lock-out and TOTP); a first-time parent gets a new User with the
  role 家长 at the root of the org tree. The role holds only "@own" permissions, so a grant on the
  whole tree still shows nothing but the parent's own records (registrations, own children).
  An existing Guardian with this phone (imported by a school) is linked to the user.
"""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.notifications.services import send_sms
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people import identity
from mofang.platform.people.models import Guardian
from mofang.platform.text import normalize_code

from .models import Membership, PhoneCode, Role, User
from .ratelimit import Limit, Rate, consume

CODE_TTL = dt.timedelta(minutes=5)
MAX_WRONG = 5
# per phone: the refusal names the phone field and keeps the form's 400 (a wrong-input answer)
CODES_PER_PHONE = Limit(
    "accounts.sms_code.phone",
    (Rate(1, 60, "验证码已发送，请60秒后再获取"), Rate(5, 3600, "该手机号获取验证码过于频繁，请1小时后再试")),
    status=400,
)
CODES_PER_ADDRESS = Limit(
    "accounts.sms_code.address", (Rate(30, 3600, "获取验证码过于频繁：同一网络1小时内最多获取30次，请稍后再试"),)
)
PARENT_ROLE = "parent"


def _code_hash(phone: str, code: str) -> str:
    return identity.lookup_hash(f"phone-code:{phone}:{code}")


def _root():
    # the smallest path is a root (materialised path): read through the path index, not a scan
    return OrgUnit.objects.order_by("path").first()


def _guardian(phone: str) -> Guardian | None:
    return Guardian.objects.filter(phone_hash=identity.lookup_hash(phone)).first()


def _guardian_school(guardian: Guardian):
    """A guardian belongs to no school (one phone, children in several): its first child's school."""
    link = guardian.guardianships.select_related("student__school").order_by("pk").first()
    return link.student.school if link else _root()


def request_code(phone: str, *, client_ip: str | None = None, now=None) -> PhoneCode:
    """Validate the phone, apply the rate limits (per phone; per client address when given), store a
    new code and send it by SMS. A refusal is ratelimit.RateLimited (a ValidationError)."""
    phone = identity.validate_mobile(phone)
    now = now or timezone.now()
    phone_hash = identity.lookup_hash(phone)
    with transaction.atomic():
        limits = [(CODES_PER_PHONE, phone_hash)]
        if client_ip is not None:
            limits.append((CODES_PER_ADDRESS, client_ip))
        consume(*limits, now=now)
        row, code = new_code(PhoneCode.Purpose.LOGIN, phone_hash, phone, now=now)
        guardian = _guardian(phone)
        org = _guardian_school(guardian) if guardian else _root()
        send_sms(
            phone=phone,
            org=org,
            recipient=guardian.user if guardian else None,
            text=f"【教育魔方】您的登录验证码为{code}，5分钟内有效。请勿告诉他人。",
        )
    return row


def verify_code(phone: str, code: str, *, now=None) -> User:
    """Check the code and return the parent's User (created on first login). Raises ValidationError."""
    phone = identity.validate_mobile(phone)
    spend_code(PhoneCode.Purpose.LOGIN, identity.lookup_hash(phone), phone, code, now=now)
    return parent_user_for(phone)


# --- one-time codes (shared with the SMS unlock, accounts.unlock) -----------------------------------


def new_code(purpose: str, key_hash: str, salt: str, *, now) -> tuple[PhoneCode, str]:
    """Store a new 6-digit code of this purpose for `key_hash` (voiding the older ones: only the
    latest is accepted) and return the row and the code to send. Inside the caller's transaction."""
    PhoneCode.objects.filter(purpose=purpose, phone_hash=key_hash, used=False).update(used=True)
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneCode.objects.create(
        purpose=purpose,
        phone_hash=key_hash,
        code_hash=_code_hash(salt, code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    return row, code


def spend_code(purpose: str, key_hash: str, salt: str, code: str, *, now=None) -> None:
    """Accept the latest unused, unexpired code of this purpose for `key_hash` once, or raise
    ValidationError (expired; wrong, counted; void after MAX_WRONG wrong tries)."""
    code = normalize_code(code)  # full-width １２３４５６ as typed on some phones
    now = now or timezone.now()
    error = None
    # the wrong-try count must be saved, so the error is raised after the transaction commits
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(purpose=purpose, phone_hash=key_hash, used=False)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None or row.expires_at <= now:
            error = ValidationError(gettext("验证码已失效，请重新获取"), code="expired")
        elif row.code_hash != _code_hash(salt, code):
            row.failed_attempts += 1
            row.used = row.failed_attempts >= MAX_WRONG
            row.save(update_fields=["failed_attempts", "used"])
            error = (
                ValidationError(gettext("验证码错误次数过多已作废，请重新获取"), code="void")
                if row.used
                else ValidationError(gettext("验证码错误，请重新输入"), code="wrong")
            )
        else:
            row.used = True
            row.save(update_fields=["used"])
    if error is not None:
        raise error


def parent_user_for(phone: str) -> User:
    """The User with this phone, or a new parent User (role 家长 at the root) with the Guardian linked."""
    user = User.objects.filter(phone=phone, is_active=True).order_by("pk").first()
    if user is not None:
        # staff accounts keep password + lock-out (+ TOTP): an SMS code must not be a way around them
        if any(m.role.code != PARENT_ROLE for m in user.active_memberships()):
            raise ValidationError(gettext("该手机号属于工作人员账号，请使用用户名和密码登录"), code="staff")
        _link_guardian(user, phone)
        return user
    try:
        with transaction.atomic():
            user = User(
                username=f"p_{identity.lookup_hash(phone)[:20]}",
                phone=phone,
                full_name=f"家长{identity.mask_mobile(phone)}",
            )
            user.set_unusable_password()
            user.save()
            Membership.objects.create(user=user, role=Role.objects.get(code=PARENT_ROLE), org=_root())
            record(
                actor=user,
                action=AuditAction.CREATE,
                summary=f"手机号{identity.mask_mobile(phone)}首次登录，创建家长账号",
                obj=user,
                org=_root(),
            )
    except IntegrityError:  # two first logins at once: the other one created it
        user = User.objects.get(username=f"p_{identity.lookup_hash(phone)[:20]}")
    _link_guardian(user, phone)
    return user


def _link_guardian(user: User, phone: str) -> None:
    guardian = _guardian(phone)
    if guardian is not None and guardian.user_id is None:
        with transaction.atomic():
            guardian.user = user
            guardian.save(update_fields=["user"])
            record(
                actor=user,
                action=AuditAction.UPDATE,
                summary=f"家长{guardian.name}关联登录账号",
                obj=guardian,
                org=_guardian_school(guardian),
            )
