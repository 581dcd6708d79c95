"""分类审批: the applications list (a department sees those routed to it) and an application's
page with the decision form. The county's table (category → department) is the engine's routing
table page, mounted at /institutions/routes/ (urls.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import CaseAttachment
from mofang.platform.cases.queries import queue
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..cases import APPLICATION, APPLICATION_TYPE
from ..forms import DecisionForm
from ..models import Application, Category, Decision
from ..roles import DECIDE, VIEW_APPLICATION
from . import case_url, errors_into, form_errors


def app_url(app) -> str:
    return reverse("institutions:application", args=[app.pk])


class ApplicationList(ScopedListView):
    template_name = "cases/cards_list.html"  # a card per row on phones
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

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if self.request.GET.get("view") == "queue":  # 待我单位认领: the home page's to-do, by the engine's rule
            qs = qs.filter(case__in=queue(self.request.user, APPLICATION))
        return qs


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
