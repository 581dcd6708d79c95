"""The accounts import template (批量开通账号): 用户名, 姓名, 手机号, 工号, 角色, 机构代码.

Through the platform's one import path: every row is checked (the grant table included, exactly
as on the 授予角色 form) and reported by row and column in Chinese; nothing is written if any row
is bad. A row whose 用户名 already belongs to an account the importer manages updates its name and
phone and adds the membership (re-importing a file changes nothing); a 用户名 taken by any other
account is an error. New accounts get a one-time password by SMS (must change at first login).

The importer writes itself (`write`), as the platform's base.py allows for rows that are not
plain upserts: one row is a user, a membership, perhaps a staff link, an SMS and an audit entry.
No hook in the platform was needed.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_mobile, parse_text
from mofang.platform.notifications.services import send_sms
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import Staff

from .models import Membership, Role, User
from .passwords import one_time_password
from .policy import MANAGE, account_refusal, grant_refusal
from .registry import ROLES
from .services import account_snapshot


def _parse_username(raw: str) -> str:
    from django.core.exceptions import ValidationError

    value = parse_text(150)(raw)
    field = User._meta.get_field("username")
    try:
        for v in field.validators:
            v(value)
    except ValidationError:
        raise ValidationError(gettext("只能包含字母、数字和 @ . + - _")) from None
    return value


class AccountImporter(Importer):
    code = "accounts"
    title = "账号"
    permission = MANAGE
    natural_key = "username"
    chunk_size = 500
    columns = [
        Column("username", "用户名", parse=_parse_username, example="cs1_wangfang", help="字母、数字和 @ . + - _"),
        Column("full_name", "姓名", parse=parse_text(50), example="王芳"),
        Column("phone", "手机号", parse=parse_mobile, example="13800000000", help="临时密码以短信发送到此号码"),
        Column(
            "staff_no",
            "工号",
            required=False,
            parse=parse_text(30),
            example="T3308220001001",
            help="填写则与教职工名册中的该教职工关联",
        ),
        Column("role", "角色", parse=parse_text(32), example="教师", help="角色名称，如 教师、班主任、教务、校长"),
        Column("org_code", "机构代码", parse=parse_text(20), example="3308220001", help="学校标识码或行政区划代码"),
    ]

    def prepare(self, ctx):
        ctx.state["roles"] = {**{s.name: c for c, s in ROLES.items()}, **{c: c for c in ROLES}}
        ctx.state["orgs"] = {}
        ctx.state["staff_rows"] = {}

    def _org(self, code, ctx):
        cache = ctx.state["orgs"]
        if code not in cache:
            cache[code] = OrgUnit.objects.filter(code=code).first()
        return cache[code]

    def clean_row(self, v, ctx):
        role = ctx.state["roles"].get(v["role"])
        if role is None or role == "parent":
            raise RowError(f"角色“{v['role']}”不存在", "角色")
        org = self._org(v["org_code"], ctx)
        if org is None:
            raise RowError("机构不存在", "机构代码")
        why = grant_refusal(ctx.user, role, org)
        if why is not None:
            raise RowError(why, "机构代码" if "管理范围" in why or "只能授予在" in why else "角色")
        existing = User.objects.filter(username__iexact=v["username"]).first()
        if existing is not None:
            if not User.objects.visible_to(ctx.user, MANAGE).filter(pk=existing.pk).exists():
                raise RowError("用户名已被其他单位的账号使用", "用户名")
            why = account_refusal(ctx.user, existing)
            if why is not None:
                raise RowError(why, "用户名")
        staff = None
        if v["staff_no"]:
            staff = Staff.objects.visible_to(ctx.user, "people.view_staff").filter(staff_no=v["staff_no"]).first()
            if staff is None:
                raise RowError("教职工名册中没有这个工号，或不在您的数据范围内", "工号")
            if staff.user_id is not None and (existing is None or staff.user_id != existing.pk):
                raise RowError(f"该教职工已关联账号{staff.user.username}", "工号")
            first = ctx.state["staff_rows"].setdefault(staff.pk, v["username"])
            if first != v["username"]:
                raise RowError(f"同一工号已用于用户名{first}", "工号")
        password = hashed = None
        if existing is None:
            # argon2 costs ~0.2 s: hash here, while validating outside any transaction, so the write
            # step (one transaction, which on SQLite holds the write lock) only inserts rows
            password = one_time_password()
            hashed = make_password(password)
        return {
            **v,
            "role": role,
            "org": org,
            "staff": staff,
            "existing": existing,
            "password": password,
            "hashed": hashed,
        }

    def write(self, rows, ctx):
        created = updated = 0
        roles = {r.code: r for r in Role.objects.all()}
        with transaction.atomic():
            for r in rows:
                org, role = r["org"], roles[r["role"]]
                user = r["existing"]
                if user is None:
                    password = r["password"]
                    user = User(
                        username=r["username"],
                        full_name=r["full_name"],
                        phone=r["phone"],
                        home_org=org,
                        must_change_password=True,
                        password=r["hashed"],
                    )
                    user.save()
                    send_sms(
                        phone=r["phone"],
                        org=org,
                        recipient=user,
                        text=f"【教育魔方】您的账号已开通，用户名{user.username}，临时密码{password}，首次登录后须修改密码。",
                    )
                    created += 1
                    summary = f"导入新建账号 {user.username}（{user.full_name}），授予{org.name}·{role.name}"
                    before = None
                else:
                    before = account_snapshot(user)
                    user.full_name, user.phone = r["full_name"], r["phone"]
                    user.save(update_fields=["full_name", "phone"])
                    updated += 1
                    summary = f"导入更新账号 {user.username}（{user.full_name}），任职{org.name}·{role.name}"
                Membership.objects.get_or_create(user=user, role=role, org=org)
                if r["staff"] is not None and r["staff"].user_id != user.pk:
                    Staff.objects.filter(pk=r["staff"].pk, user__isnull=True).update(user=user)
                record(
                    actor=ctx.user,
                    action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                    obj=user,
                    org=org,
                    summary=summary,
                    before=before,
                    after=account_snapshot(user),
                )
        return created, updated


register_importer(AccountImporter())
