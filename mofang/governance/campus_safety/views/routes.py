"""分派规则: the county administrator's routing table (category → department), list and form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .. import routing
from ..cases import CATEGORIES
from ..forms import RouteRuleForm
from ..models import RouteRule
from ..roles import MANAGE_ROUTES
from . import errors_into, form_data


@login_required
def index(request):
    """The counties whose table this user keeps (straight to it when there is one)."""
    if not has_perm(request.user, MANAGE_ROUTES):
        raise Http404("页面不存在或您没有权限")
    counties = list(OrgUnit.objects.visible_to(request.user, MANAGE_ROUTES).filter(kind=OrgKind.COUNTY))
    if len(counties) == 1:
        return redirect("campus_safety:routes_county", counties[0].pk)
    return render(request, "campus_safety/routes_index.html", {"page_title": "校园安全分派规则", "counties": counties})


def _page(request, county, form=None, status=200):
    rules = {
        r.category: r
        for r in RouteRule.objects.visible_to(request.user, MANAGE_ROUTES)
        .filter(county=county)
        .select_related("department")
    }
    table = [{"code": code, "label": label, "rule": rules.get(code)} for code, label in CATEGORIES]
    departments = routing.departments_of(county)
    return render(
        request,
        "campus_safety/routes.html",
        {
            "page_title": f"{county.name}校园安全分派规则",
            "county": county,
            "table": table,
            "fallback": rules.get(""),
            "form": form or RouteRuleForm(departments=departments),
            "departments": departments,
        },
        status=status,
    )


@login_required
def county_routes(request, pk):
    """GET: the table (each category's department, or 待分派); POST: set one category's rule."""
    county = get_visible_or_404(OrgUnit, request.user, MANAGE_ROUTES, pk=pk, kind=OrgKind.COUNTY)
    if request.method != "POST":
        return _page(request, county)
    departments = routing.departments_of(county)
    form = RouteRuleForm(form_data(request, "department", "category"), departments=departments)
    if form.is_valid():
        d = form.cleaned_data
        try:
            rule = routing.save_rule(
                county,
                d["category"],
                next(x for x in departments if x.pk == d["department"]),
                acting_user=request.user,
                note=d["note"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, f"已保存：{routing.category_label(rule.category)} → {rule.department.name}")
            return redirect("campus_safety:routes_county", county.pk)
    return _page(request, county, form, status=400)


@login_required
@require_POST
def delete_rule(request, pk, rule_pk):
    county = get_visible_or_404(OrgUnit, request.user, MANAGE_ROUTES, pk=pk, kind=OrgKind.COUNTY)
    rule = get_visible_or_404(RouteRule, request.user, MANAGE_ROUTES, pk=rule_pk, county=county)
    routing.delete_rule(rule, acting_user=request.user)
    messages.success(request, f"已删除：{routing.category_label(rule.category)}，此类隐患改由{county.name}待分派")
    return redirect("campus_safety:routes_county", county.pk)
