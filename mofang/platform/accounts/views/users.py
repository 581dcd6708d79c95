"""账号管理: the accounts of the actor's subtree — list, create (by hand or from a staff record),
edit, stop/restart, unlock, reset password, grant and revoke memberships.

Every account is reached through User.objects.visible_to (accounts.view_user to see it,
accounts.change_user to act on it); the services check the grant table and write the audit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.audit.models import AuditEntry
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import identity
from mofang.platform.people.models import Staff
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import AccountCreateForm, AccountEditForm, GrantForm, ResetPasswordForm
from ..models import User
from ..policy import MANAGE, VIEW, Refusal, account_refusal, can_grant
from ..registry import GRANT_RULES, ROLES
from ..scope import get_visible_or_404, has_perm

STATUS_CHOICES = [
    ("active", "启用"),
    ("inactive", "已停用"),
    ("locked", "被锁定待解锁"),
    ("must_change", "待修改初始密码"),
    ("never", "从未登录"),
    ("unused", "已开通但从未登录"),
]
# "locked" and "unused" are the account managers' to-dos (accounts/todos.py): the queryset's rules
STATUS_FILTERS = {
    "active": lambda qs: qs.filter(is_active=True),
    "inactive": lambda qs: qs.filter(is_active=False),
    "locked": lambda qs: qs.locked_out(),
    "must_change": lambda qs: qs.filter(must_change_password=True),
    "never": lambda qs: qs.filter(last_login__isnull=True),
    "unused": lambda qs: qs.never_used(),
}
LIST_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.SCHOOL, OrgKind.DEPARTMENT)


def _memberships_text(user) -> str:
    return "；".join(f"{m.org.name}·{m.role.name}" for m in user.memberships.all())


def _status_text(user) -> str:
    parts = ["启用" if user.is_active else "已停用"]
    if user.locked_at:
        parts.append("被锁定")
    if user.must_change_password:
        parts.append("待改密码")
    return "，".join(parts)


class UserList(ScopedListView):
    model = User
    permission = VIEW
    title = "账号管理"
    export_name = "账号"
    template_name = "accounts/user_list.html"
    search_fields = ["full_name", "username", "phone"]
    search_placeholder = "姓名、用户名或手机号"
    order_by = ["username"]
    columns = [
        Col("用户名", lambda u: u.username, lambda u: reverse("accounts:user_detail", args=[u.pk])),
        Col("姓名", lambda u: u.full_name),
        Col("手机号", lambda u: identity.mask_mobile(u.phone) if u.phone else ""),
        Col("任职", _memberships_text),
        Col("状态", _status_text),
        Col(
            "最近登录",
            lambda u: timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else "从未登录",
        ),
    ]

    def _org_choices(self):
        orgs = OrgUnit.objects.visible_to(self.request.user, VIEW).filter(kind__in=LIST_KINDS)[:500]
        return [(str(o.pk), o.name) for o in orgs]

    def filter_queryset(self, qs):
        q = (self.request.GET.get("q") or "").strip()[:50]
        if q:
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        get = self.request.GET
        narrow = {}
        if get.get("org", "").isdigit():
            org = OrgUnit.objects.visible_to(self.request.user, VIEW).filter(pk=int(get["org"])).first()
            if org is None:  # a unit outside the scope (or none): nobody there that you may see
                return qs.none()
            narrow["memberships__org__path__startswith"] = org.path  # narrows rows already scoped
        if get.get("role") in ROLES:
            narrow["memberships__role__code"] = get["role"]
        if narrow:  # one join: "holds this role inside this unit"
            qs = qs.filter(**narrow).distinct()
        status = get.get("status")
        if status in STATUS_FILTERS:
            qs = STATUS_FILTERS[status](qs)
        return qs.prefetch_related("memberships__role", "memberships__org")

    def get(self, request, *args, **kwargs):
        orgs = OrgUnit.objects.visible_to(request.user, VIEW).filter(kind__in=LIST_KINDS)[:500]
        roles = sorted(ROLES.values(), key=lambda r: (r.rank, r.code))
        self.filters = [
            ("org", "机构", [(str(o.pk), o.name) for o in orgs]),
            ("role", "角色", [(r.code, r.name) for r in roles]),
            ("status", "状态", STATUS_CHOICES),
        ]
        return super().get(request, *args, **kwargs)

    def extra_context(self):
        return {"can_manage": has_perm(self.request.user, MANAGE)}


# --- one account ------------------------------------------------------------------------------------


def _org_options(actor):
    """Suggestions for the 机构 field: the units in the actor's subtree where they can grant a role
    (classes only for school-level managers — a county has thousands; type "#编号" for others)."""
    kinds = {
        k
        for (granter, _role), rule in GRANT_RULES.items()
        if any(m.role.code == granter for m in actor.active_memberships())
        for k in rule.org_kinds
    }
    managing = [m for m in actor.active_memberships() if MANAGE in m.role.permissions]
    if not any(m.org.kind in (OrgKind.SCHOOL, OrgKind.GRADE, OrgKind.CLASS) for m in managing):
        kinds -= {OrgKind.GRADE, OrgKind.CLASS}
    orgs = OrgUnit.objects.visible_to(actor, MANAGE).filter(kind__in=kinds)[:1000]
    return [(o.code or f"#{o.pk}", o.name) for o in orgs]


def _refused(request, exc: Refusal, user=None):
    back = reverse("accounts:user_detail", args=[user.pk]) if user is not None else reverse("accounts:user_list")
    return render(
        request,
        "accounts/refused.html",
        {"page_title": "操作被拒绝", "message": exc.message, "back": back},
        status=exc.status,
    )


def _detail_context(request, user, grant_form=None):
    actor = request.user
    memberships = list(user.memberships.select_related("role", "org").order_by("role__rank", "org__path"))
    manage_refusal = account_refusal(actor, user) if has_perm(actor, MANAGE) else "您没有管理账号的权限"
    history = AuditEntry.objects.visible_to(actor, VIEW).filter(object_type=User._meta.label, object_id=str(user.pk))[
        :100
    ]
    staff = Staff.objects.visible_to(actor, "people.view_staff").filter(user=user).first()
    return {
        "page_title": f"账号：{user.full_name or user.username}",
        "account": user,
        "memberships": [(m, user.pk != actor.pk and can_grant(actor, m.role.code, m.org)) for m in memberships],
        "manage_refusal": manage_refusal,
        "can_manage": manage_refusal is None,
        "can_grant": has_perm(actor, MANAGE) and user.pk != actor.pk,
        "lock_state": services.lock_state(user),
        "history": history,
        "staff": staff,
        "phone_masked": identity.mask_mobile(user.phone) if user.phone else "",
        "grant_form": grant_form or GrantForm(),
        "org_options": _org_options(actor),
        "reset_form": ResetPasswordForm(),
    }


@login_required
def user_detail(request, pk):
    user = get_visible_or_404(User, request.user, VIEW, pk=pk)
    return render(request, "accounts/user_detail.html", _detail_context(request, user))


@login_required
def user_create(request):
    actor = request.user
    if not has_perm(actor, MANAGE):
        raise Http404("页面不存在或您没有权限")
    form = AccountCreateForm(request.POST or None, initial={"staff_no": request.GET.get("staff_no", "")})
    ctx = {"page_title": "新建账号", "form": form, "org_options": _org_options(actor)}
    if request.method != "POST":
        return render(request, "accounts/user_create.html", ctx)
    if form.is_valid():
        data = form.cleaned_data
        staff = None
        if data["staff_no"]:
            staff = Staff.objects.visible_to(actor, "people.view_staff").filter(staff_no=data["staff_no"]).first()
            if staff is None:
                form.add_error("staff_no", gettext("教职工名册中没有这个工号，或不在您的数据范围内"))
        if not form.errors:
            try:
                user, password = services.create_account(
                    acting_user=actor,
                    username=data["username"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    role_code=data["role"],
                    org=data["org"],
                    staff=staff,
                    delivery=data["delivery"],
                )
            except Refusal as exc:
                ctx["refusal"] = exc.message
                return render(request, "accounts/user_create.html", ctx, status=exc.status)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _password_page(request, user, password, data["delivery"], created=True)
    return render(request, "accounts/user_create.html", ctx, status=400)


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _password_page(request, user, password, delivery, *, created):
    """The one-time password, shown once in this answer only (never stored in the session)."""
    response = render(
        request,
        "accounts/password_shown.html",
        {
            "page_title": "账号已创建" if created else "密码已重置",
            "account": user,
            "created": created,
            "password": password if delivery == services.SHOW else None,
            "phone_masked": identity.mask_mobile(user.phone) if user.phone else "",
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_edit(request, pk):
    user = get_visible_or_404(User, request.user, MANAGE, pk=pk)
    why = account_refusal(request.user, user)
    if why is not None:
        return _refused(request, Refusal(why), user)
    form = AccountEditForm(
        request.POST or None, initial={"full_name": user.full_name, "phone": user.phone, "email": user.email}
    )
    cancel = reverse("accounts:user_detail", args=[pk])
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_account(user, acting_user=request.user, **form.cleaned_data)
            except Refusal as exc:
                return _refused(request, exc, user)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "账号资料已保存")
                return redirect(cancel)
        return render(
            request,
            "web/form.html",
            {"page_title": f"修改账号：{user.username}", "form": form, "cancel_url": cancel},
            status=400,
        )
    return render(
        request, "web/form.html", {"page_title": f"修改账号：{user.username}", "form": form, "cancel_url": cancel}
    )


@login_required
@require_POST
def user_set_active(request, pk, active):
    user = get_visible_or_404(User, request.user, MANAGE, pk=pk)
    try:
        services.set_account_active(user, bool(active), acting_user=request.user)
    except Refusal as exc:
        return _refused(request, exc, user)
    messages.success(request, f"账号 {user.username} 已{'启用' if active else '停用'}")
    return redirect("accounts:user_detail", pk)


@login_required
@require_POST
def user_unlock(request, pk):
    user = get_visible_or_404(User, request.user, MANAGE, pk=pk)
    try:
        services.unlock_account(user, acting_user=request.user)
    except Refusal as exc:
        return _refused(request, exc, user)
    messages.success(request, f"账号 {user.username} 已解锁，可以重新登录")
    return redirect("accounts:user_detail", pk)


@login_required
@require_POST
def user_reset_password(request, pk):
    user = get_visible_or_404(User, request.user, MANAGE, pk=pk)
    form = ResetPasswordForm(request.POST)
    if not form.is_valid():
        return _refused(request, Refusal("；".join(e for errs in form.errors.values() for e in errs), 400), user)
    try:
        password = services.reset_password(user, acting_user=request.user, delivery=form.cleaned_data["delivery"])
    except Refusal as exc:
        return _refused(request, exc, user)
    except ValidationError as exc:
        return _refused(request, Refusal("；".join(exc.messages), 400), user)
    return _password_page(request, user, password, form.cleaned_data["delivery"], created=False)


@login_required
@require_POST
def user_grant(request, pk):
    user = get_visible_or_404(User, request.user, MANAGE, pk=pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            membership = services.grant_membership(
                user, acting_user=request.user, role_code=form.cleaned_data["role"], org=form.cleaned_data["org"]
            )
        except Refusal as exc:
            ctx = _detail_context(request, user, form)
            ctx["grant_refusal"] = exc.message
            return render(request, "accounts/user_detail.html", ctx, status=exc.status)
        extra = "（该角色须绑定动态口令，下次登录时扫码绑定）" if membership.role.second_factor else ""
        messages.success(request, f"已授予 {membership.org.name}·{membership.role.name}{extra}")
        return redirect("accounts:user_detail", pk)
    return render(request, "accounts/user_detail.html", _detail_context(request, user, form), status=400)


@login_required
@require_POST
def user_revoke(request, pk, membership_pk):
    user = get_visible_or_404(User, request.user, MANAGE, pk=pk)
    membership = user.memberships.select_related("role", "org").filter(pk=membership_pk).first()
    if membership is None:
        raise Http404("任职不存在")
    try:
        services.revoke_membership(membership, acting_user=request.user)
    except Refusal as exc:
        return _refused(request, exc, user)
    messages.success(request, f"已撤销 {membership.org.name}·{membership.role.name}")
    return redirect("accounts:user_detail", pk)
