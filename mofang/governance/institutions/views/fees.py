"""预收费资金监管: all charges, the flagged ones (beyond the local limit), and the region's limit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import FeeLimitForm
from ..models import Charge, FeeLimit
from ..roles import MANAGE_FEES, VIEW_FEES
from . import errors_into, form_errors
from .registry import detail_url


class ChargeList(ScopedListView):
    model = Charge
    permission = VIEW_FEES
    title = "预收费记录"
    export_name = "培训机构预收费记录"
    search_fields = ["institution__name", "student_name"]
    search_placeholder = "机构或学员"
    select_related = ["institution"]
    order_by = ["-paid_on", "-pk"]
    filters = [("flagged", "是否超限", [("1", "超限"), ("0", "未超限")])]
    columns = [
        Col("收费日期", lambda c: c.paid_on.strftime("%Y-%m-%d")),
        Col("机构", lambda c: c.institution.name, lambda c: detail_url(c.institution)),
        Col("学员", lambda c: c.student_name),
        Col("金额（元）", lambda c: c.amount, num=True),
        Col("课时数", lambda c: c.lessons, num=True),
        Col("覆盖月数", lambda c: c.months, num=True),
        Col("超限说明", lambda c: c.flag_reason),
    ]


class FlaggedChargeList(ChargeList):
    """Charges beyond the limit in force where the institution is registered."""

    title = "超限预收费"
    export_name = "培训机构超限预收费"
    filters = []

    def base_queryset(self):
        return super().base_queryset().filter(flagged=True)


@login_required
def limits(request):
    """The limit per region (nearest region with its own row wins; default 3 months / 60 lessons)."""
    if not has_perm(request.user, VIEW_FEES):
        raise Http404("页面不存在或您没有权限")
    regions = list(
        OrgUnit.objects.visible_to(request.user, VIEW_FEES).filter(kind__in=REGION_KINDS).order_by("path")[:500]
    )
    own = {fl.region_id: fl for fl in FeeLimit.objects.visible_to(request.user, VIEW_FEES)}
    limits = services.limits_for(regions)
    rows = [{"region": r, "own": own.get(r.pk), "limit": limits[r.pk]} for r in regions]
    manageable = list(
        OrgUnit.objects.visible_to(request.user, MANAGE_FEES).filter(kind__in=REGION_KINDS).order_by("path")[:500]
    )
    form = FeeLimitForm(initial={"max_months": 3, "max_lessons": 60})
    return render(
        request,
        "institutions/limits.html",
        {"page_title": "预收费上限", "rows": rows, "manageable": manageable, "form": form},
    )


@login_required
@require_POST
def set_limit(request, pk):
    region = get_visible_or_404(OrgUnit, request.user, MANAGE_FEES, pk=pk, kind__in=REGION_KINDS)
    form = FeeLimitForm(request.POST)
    if form.is_valid():
        try:
            services.set_fee_limit(region, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, f"{region.name}预收费上限已保存")
            return redirect("institutions:limits")
    return render(
        request,
        "web/form.html",
        {
            "page_title": f"{region.name}预收费上限",
            "form": form,
            "error": form_errors(form),
            "cancel_url": "/institutions/fees/limits/",
        },
        status=400,
    )
