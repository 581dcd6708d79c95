"""The accounts' demo story in 常山县 (registered in AppConfig.ready()): admin_cs's 账号管理 to-dos.

- teacher_cs1c, a teacher of 常山县第一小学, typed a wrong password five times this morning: the
  account is locked (django-axes' attempts plus locked_at) and waits under 待解锁账号. Once
  unlocked it logs in with the demo password.
- teacher_cs1d was opened by admin_cs from the staff roll (工号, 姓名, 手机号 from the record), the
  one-time password sent by SMS (in the outbox); the teacher has never logged in.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.people.models import Staff

from .models import Membership, Role, User
from .services import SMS, create_account

STORY_SCHOOL = "3308220001"  # 常山县第一小学
LOCKED, NEW = "teacher_cs1c", "teacher_cs1d"


def build(ctx) -> None:
    admin = ctx.users.get("admin_cs")
    if admin is None:
        return
    free = list(
        Staff.objects.filter(org__code=STORY_SCHOOL, user__isnull=True, position="教师").order_by("staff_no")[:2]
    )
    if len(free) < 2:
        return
    school = free[0].org
    locked_staff, new_staff = free

    # 1. an account locked out by wrong passwords
    core = ctx.users.get("maoyumei")
    user = User.objects.create(
        username=LOCKED, full_name=locked_staff.name, phone=locked_staff.phone, password=core.password, home_org=school
    )
    Membership.objects.create(user=user, role=Role.objects.get(code="teacher"), org=school)
    locked_staff.user = user
    locked_staff.save(update_fields=["user"])
    _lock_out(user)

    # 2. an account opened from the staff roll, never used
    create_account(
        acting_user=admin,
        username=NEW,
        full_name="",
        phone="",
        role_code="teacher",
        org=school,
        staff=new_staff,
        delivery=SMS,
    )
    ctx.log(f"账号：{LOCKED} 被锁定待解锁，{NEW} 已由 admin_cs 从教职工名册开通（从未登录）")


def _lock_out(user: User) -> None:
    """What five wrong passwords leave behind: axes' attempt row, the account's lock mark, the audit."""
    from axes.models import AccessAttempt

    now = timezone.now()
    attempt = AccessAttempt.objects.create(
        username=user.username,
        ip_address="10.33.8.21",
        user_agent="Mozilla/5.0 (Windows NT 10.0) 演示",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=" + user.username,
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    # attempt_time is auto_now_add: put the lock a few minutes back, as a real morning would
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - dt.timedelta(minutes=3))
    User.objects.filter(pk=user.pk).update(locked_at=now - dt.timedelta(minutes=3))
    record(
        actor=None,
        action=AuditAction.ACTION,
        obj=user,
        org=user.home_org,
        summary=f"账号 {user.username} 连续{settings.AXES_FAILURE_LIMIT}次密码错误，已被锁定",
    )
