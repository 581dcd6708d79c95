"""分类审批: the applications list (a department sees those routed to it), an application's
page with the decision form, and the county's routing table (category → department)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import CaseAttachment
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import routing, services
from ..cases import APPLICATION_TYPE
from ..forms import DecisionForm, RouteForm
from ..models import Application, Category, Decision, RouteRule
from ..roles import DECIDE, MANAGE_ROUTES, VIEW_APPLICATION
from . import case_url, errors_into, form_errors


def app_url(app) -> str:
    return reverse("institutions:application", args=[app.pk])


class ApplicationList(ScopedListView):
    model = Application
    permission = VIEW_APPLICATION
    title = "办学审批"
    export_name = "培训机构办学审批"
    search_fields = ["institution__name", "case__number"]
    search_placeholder = "机构名称或编号"
    select_related = ["institution", "case", "department"]
    order_by = ["-submitted_at", "-pk"]
    filters = [
        ("case__state", "状态", [(s.code, s.label) for s in APPLICATION_TYPE.states]),
        ("institution__category", "类别", list(Category.choices)),
    ]
    columns = [
        Col("编号", lambda a: a.case.number, app_url),
        Col("机构", lambda a: a.institution.name, app_url),
        Col("类别", lambda a: a.institution.get_category_display()),
        Col("受理部门", lambda a: a.department.name),
        Col("状态", lambda a: a.case.state_label),
        Col("申请时间", lambda a: timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M")),
        Col("审批结果", lambda a: a.get_decision_display() if a.decision else ""),
        Col("理由", lambda a: a.reason),
    ]


def _page(request, app, form=None, status=200, error=""):
    case = app.case
    may_decide = case.is_open and (
        (case.claimed_by_id is None and cases.may_claim(case, request.user))
        or (
            case.claimed_by_id == request.user.pk
            and any(t.code == "approve" or t.code == "refuse" for t in cases.available_transitions(case, request.user))
        )
    )
    docs = CaseAttachment.objects.visible_to(request.user, VIEW_APPLICATION).filter(case=case)
    return render(
        request,
        "institutions/application.html",
        {
            "page_title": f"办学审批：{app.institution.name}",
            "app": app,
            "case": case,
            "case_url": case_url(case),
            "may_decide": may_decide,
            "form": form or DecisionForm(),
            "docs": docs,
            "error": error,
            "Decision": Decision,
        },
        status=status,
    )


@login_required
def application(request, pk):
    app = get_visible_or_404(Application, request.user, VIEW_APPLICATION, pk=pk)
    return _page(request, app)


@login_required
@require_POST
def decide(request, pk):
    app = get_visible_or_404(Application, request.user, DECIDE, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            app = services.decide_application(
                app,
                approve=form.cleaned_data["decision"] == "approve",
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, f"已{app.get_decision_display()}：{app.institution.name}")
            return redirect(app_url(app))
    return _page(request, app, form, status=400, error=form_errors(form))


@login_required
def routes_index(request):
    if not has_perm(request.user, MANAGE_ROUTES):
        raise Http404("页面不存在或您没有权限")
    counties = list(
        OrgUnit.objects.visible_to(request.user, MANAGE_ROUTES).filter(kind=OrgKind.COUNTY).order_by("path")
    )
    if len(counties) == 1:
        return redirect("institutions:routes_county", counties[0].pk)
    return render(request, "institutions/routes_index.html", {"page_title": "分类审批规则", "counties": counties})


@login_required
def routes_county(request, pk):
    county = get_visible_or_404(OrgUnit, request.user, MANAGE_ROUTES, pk=pk, kind=OrgKind.COUNTY)
    departments = routing.departments_of(county)
    form, status = RouteForm(departments=departments), 200
    if request.method == "POST":
        data = request.POST.copy()
        if not data.get("department") and request.GET.get("department"):
            data["department"] = request.GET["department"]
        form = RouteForm(data, departments=departments)
        if form.is_valid():
            try:
                dept = next(d for d in departments if d.pk == form.cleaned_data["department"])
                routing.save_rule(county, form.cleaned_data["category"], dept, acting_user=request.user)
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, "分类审批规则已保存")
                return redirect("institutions:routes_county", county.pk)
        status = 400
    rules = {
        r.category: r
        for r in RouteRule.objects.visible_to(request.user, MANAGE_ROUTES)
        .filter(county=county)
        .select_related("department")
    }
    table = [
        {"label": Category(c).label, "rule": rules.get(c), "unit": routing.approving_unit(county, c)}
        for c in Category.values
    ]
    return render(
        request,
        "institutions/routes.html",
        {
            "page_title": f"{county.name}培训机构分类审批规则",
            "county": county,
            "table": table,
            "form": form,
            "error": form_errors(form) if status == 400 else "",
        },
        status=status,
    )
