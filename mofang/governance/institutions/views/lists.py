"""黑白名单: the managed list, publishing and ending entries, and the public page (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import public, services
from ..forms import EndEntryForm, ListEntryForm
from ..models import Institution, ListEntry, ListKind
from ..roles import MANAGE_LISTS, VIEW
from . import errors_into, form_errors
from .registry import detail_url


def _in_force(e) -> str:
    today = timezone.localdate()
    if e.start > today:
        return "未生效"
    return "已截止" if e.end and e.end < today else "有效"


class ListEntryList(ScopedListView):
    model = ListEntry
    permission = VIEW
    title = "黑白名单"
    template_name = "institutions/lists.html"
    search_fields = ["institution__name", "reason"]
    search_placeholder = "机构或理由"
    select_related = ["institution", "region"]
    order_by = ["kind", "-start", "pk"]
    filters = [("kind", "名单", list(ListKind.choices))]
    columns = [
        Col("名单", lambda e: e.get_kind_display()),
        Col("机构", lambda e: e.institution.name, lambda e: detail_url(e.institution)),
        Col("发布地区", lambda e: e.region.name),
        Col("理由", lambda e: e.reason),
        Col("起始日期", lambda e: e.start.strftime("%Y-%m-%d")),
        Col("截止日期", lambda e: e.end.strftime("%Y-%m-%d") if e.end else "长期"),
        Col("状态", _in_force),
    ]

    def extra_context(self):
        return {"can_manage": has_perm(self.request.user, MANAGE_LISTS)}


@login_required
def new_entry(request):
    if not has_perm(request.user, MANAGE_LISTS):
        raise Http404("页面不存在或您没有权限")
    institutions = list(Institution.objects.visible_to(request.user, MANAGE_LISTS).order_by("name")[:2000])
    regions = list(
        OrgUnit.objects.visible_to(request.user, MANAGE_LISTS).filter(kind__in=REGION_KINDS).order_by("path")
    )
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        for name in ("institution", "region"):  # a link may preselect them
            if not data.get(name) and request.GET.get(name):
                data[name] = request.GET[name]
        form = ListEntryForm(data, institutions=institutions, regions=regions)
        if form.is_valid():
            d = form.cleaned_data
            inst = next(i for i in institutions if i.pk == d["institution"])
            region = next(r for r in regions if r.pk == d["region"])
            try:
                services.add_to_list(
                    inst,
                    acting_user=request.user,
                    kind=d["kind"],
                    region=region,
                    reason=d["reason"],
                    start=d["start"],
                    end=d["end"],
                )
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, f"已发布：{inst.name}")
                return redirect("institutions:lists")
        status = 400
    else:
        form = ListEntryForm(
            institutions=institutions,
            regions=regions,
            initial={
                "institution": request.GET.get("institution"),
                "region": regions[0].pk if regions else None,
                "start": timezone.localdate(),
                "kind": request.GET.get("kind") or ListKind.WHITE,
            },
        )
    return render(
        request,
        "web/form.html",
        {"page_title": "发布黑白名单", "form": form, "cancel_url": "/institutions/lists/"},
        status=status,
    )


@login_required
@require_POST
def end_entry(request, pk):
    entry = get_visible_or_404(ListEntry, request.user, MANAGE_LISTS, pk=pk)
    data = request.POST.copy()
    if not data.get("end"):  # the detail page's 今日移出 button sends no date
        data["end"] = timezone.localdate().isoformat()
    form = EndEntryForm(data)
    if not form.is_valid():
        return render(
            request,
            "web/form.html",
            {"page_title": "移出名单", "form": form, "cancel_url": "/institutions/lists/"},
            status=400,
        )
    try:
        services.end_list_entry(entry, acting_user=request.user, end=form.cleaned_data["end"])
    except ValidationError as exc:
        errors_into(form, exc)
        return render(
            request,
            "web/form.html",
            {"page_title": "移出名单", "form": form, "error": form_errors(form), "cancel_url": "/institutions/lists/"},
            status=400,
        )
    messages.success(request, f"{entry.institution.name}自{entry.end}起移出{entry.get_kind_display()}")
    return redirect("institutions:lists")


def public_lists(request):
    """公示 (no login): the white and black lists in force for a region."""
    region = None
    raw = request.GET.get("region")
    if raw:
        region = public.region_by_pk(raw)
        if region is None:
            raise Http404("地区不存在")
    q = " ".join((request.GET.get("q") or "").split())[:50]  # 按机构名称查询
    lists = public.lists_in_force(region, name=q)
    return render(
        request,
        "institutions/public_lists.html",
        {
            "page_title": f"{region.name if region else ''}校外培训机构黑白名单公示",
            "regions": public.regions(),
            "region": region,
            "q": q,
            "white": lists[ListKind.WHITE],
            "black": lists[ListKind.BLACK],
            "today": timezone.localdate(),
        },
    )
