"""接口密钥 pages: province/city/county administrators create, list and revoke the keys of other
systems within their own subtree (scoped by the one scope layer; changes through keys.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from . import keys
from .models import ApiKey
from .registry import WRITE_KINDS
from .roles import MANAGE_KEY, kind_label

ORG_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.SCHOOL)


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _org_choices(user):
    return list(OrgUnit.objects.visible_to(user, MANAGE_KEY).filter(kind__in=ORG_KINDS).order_by("path")[:500])


class KeyList(ScopedListView):
    model = ApiKey
    permission = MANAGE_KEY
    title = "接口密钥"
    export_name = "接口密钥"
    template_name = "api/key_list.html"
    select_related = ["org", "created_by"]
    search_fields = ["name", "prefix"]
    search_placeholder = "系统名称或密钥前缀"
    order_by = ["-created_at"]
    columns = [
        Col("系统名称", lambda k: k.name),
        Col("密钥前缀", lambda k: k.prefix),
        Col("可写范围", lambda k: k.org.name),
        Col("可写数据", lambda k: "、".join(kind_label(x) for x in k.kinds)),
        Col("创建人", lambda k: str(k.created_by)),
        Col("创建时间", lambda k: _when(k.created_at)),
        Col("最近使用", lambda k: _when(k.last_used_at) or "从未使用"),
        Col("状态", lambda k: f"已吊销（{_when(k.revoked_at)}）" if k.revoked_at else "有效"),
        Col("", lambda k: "" if k.revoked_at else "吊销", lambda k: reverse("api_keys:revoke", args=[k.pk])),
    ]

    def extra_context(self):
        return {"orgs": _org_choices(self.request.user), "kinds": [(k.code, k.label) for k in WRITE_KINDS.values()]}


@login_required
@require_POST
def key_create(request):
    if not has_perm(request.user, MANAGE_KEY):
        raise Http404("页面不存在或您没有权限")
    org_id = request.POST.get("org", "")
    org = None
    if org_id.isdigit() and len(org_id) < 19:
        org = OrgUnit.objects.visible_to(request.user, MANAGE_KEY).filter(pk=int(org_id), kind__in=ORG_KINDS).first()
    try:
        if org is None:
            raise ValidationError({"org": gettext("请选择可写范围（您管理的机构）")})
        key, secret = keys.create_key(
            acting_user=request.user, name=request.POST.get("name", ""), org=org, kinds=request.POST.getlist("kinds")
        )
    except (ValidationError, PermissionDenied) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"未新建：{text}")
        return redirect("api_keys:list")
    return render(request, "api/key_shown.html", {"page_title": "接口密钥已新建", "key": key, "secret": secret})


@login_required
def key_revoke(request, pk):
    key = get_visible_or_404(ApiKey, request.user, MANAGE_KEY, pk=pk)
    if request.method == "POST":
        try:
            keys.revoke_key(key, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未吊销：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
            return redirect("api_keys:list")
        messages.success(request, f"接口密钥 {key} 已吊销，该系统用它的请求将被拒绝")
        return redirect("api_keys:list")
    return render(request, "api/key_revoke.html", {"page_title": "吊销接口密钥", "key": key})
