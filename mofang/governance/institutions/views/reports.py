"""有奖举报: the public form (no login, rate-limited) and the query page by code; the county's
list of reports, each report's page (the handling itself is on the case page) and the reward."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.ratelimit import RateLimited, client_ip, consume
from mofang.platform.accounts.scope import get_visible_or_404, has_perm_at
from mofang.platform.cases.queries import queue
from mofang.platform.web.lists import Col, ScopedListView

from .. import public, services
from ..cases import REPORT, REPORT_TYPE
from ..forms import PublicReportForm, RewardForm
from ..models import PublicReport
from ..roles import HANDLE_REPORT, VIEW
from . import case_url, errors_into, form_errors


def report_url(r) -> str:
    return reverse("institutions:report", args=[r.pk])


class ReportList(ScopedListView):
    template_name = "cases/cards_list.html"  # a card per row on phones
    model = PublicReport
    permission = VIEW
    title = "有奖举报"
    export_name = "培训机构有奖举报"
    search_fields = ["case__number", "target_name", "case__address"]
    search_placeholder = "编号、被举报对象或地点"
    select_related = ["case", "county"]
    order_by = ["-submitted_at", "-pk"]
    filters = [("case__state", "状态", [(s.code, s.label) for s in REPORT_TYPE.states])]
    columns = [
        Col("编号", lambda r: r.case.number, report_url),
        Col("被举报对象", lambda r: r.target_name, report_url),
        Col("培训地点", lambda r: r.case.address),
        Col("属地", lambda r: r.county.name),
        Col("状态", lambda r: r.case.state_label),
        Col("举报时间", lambda r: timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M")),
        Col("奖励（元）", lambda r: r.reward_amount if r.reward_amount is not None else "", num=True),
    ]

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if self.request.GET.get("view") == "queue":  # 待我单位认领: the home page's to-do, by the engine's rule
            qs = qs.filter(case__in=queue(self.request.user, REPORT))
        return qs


def _report_page(request, report, form=None, status=200):
    return render(
        request,
        "institutions/report.html",
        {
            "page_title": f"有奖举报 {report.case.number}",
            "report": report,
            "case": report.case,
            "case_url": case_url(report.case),
            "form": form or RewardForm(),
            "error": form_errors(form) if form is not None and form.errors else "",
            "may_reward": report.case.state == "substantiated"
            and report.reward_amount is None
            and has_perm_at(request.user, HANDLE_REPORT, report.county),
        },
        status=status,
    )


@login_required
def report(request, pk):
    return _report_page(request, get_visible_or_404(PublicReport, request.user, VIEW, pk=pk))


@login_required
@require_POST
def reward(request, pk):
    rep = get_visible_or_404(PublicReport, request.user, HANDLE_REPORT, pk=pk)
    form = RewardForm(request.POST)
    if form.is_valid():
        try:
            services.record_reward(rep, acting_user=request.user, amount=form.cleaned_data["amount"])
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, "奖励已登记")
            return redirect(report_url(rep))
    return _report_page(request, rep, form, status=400)


def public_report(request):
    """举报 (no login): unlicensed subject tutoring at a place; answered with a query code."""
    counties, cities = public.counties(), public.cities()
    status, notice = 200, ""
    if request.method == "POST":
        form = PublicReportForm(request.POST, counties=counties, cities=cities)
        if form.is_valid():
            try:
                _count_report(request)
            except RateLimited as exc:
                notice, status = exc.messages[0], exc.status
            else:
                d = form.cleaned_data
                try:
                    rep = services.submit_public_report(
                        next(c for c in counties if c.pk == d["county"]),
                        target_name=d["target_name"],
                        address=d["address"],
                        description=d["description"],
                        phone=d["phone"],
                    )
                except ValidationError as exc:
                    errors_into(form, exc)
                    status = 400
                else:
                    return render(
                        request,
                        "institutions/public_report_done.html",
                        {
                            "page_title": "举报已受理",
                            "code": rep.query_code,
                            "number": rep.case.number,
                            "county": rep.county.name,
                        },
                    )
        else:
            status = 400
    else:
        form = PublicReportForm(counties=counties, cities=cities)
    return render(
        request,
        "institutions/public_report.html",
        {"page_title": "校外培训有奖举报", "form": form, "notice": notice},
        status=status,
    )


def _count_report(request) -> None:
    """Count an accepted report against its browser session and its real address (RateLimited when
    either has none left; a refused one is not counted, so a retry does not extend the wait)."""
    if not request.session.session_key:
        request.session.save()
    consume((public.REPORTS_PER_SESSION, request.session.session_key), (public.REPORTS_PER_ADDRESS, client_ip(request)))


def public_query(request):
    """查询举报办理结果 (no login) by the query code; look-ups that find nothing are rate-limited."""
    code = (request.GET.get("code") or "").strip()
    outcome, notice, status = None, "", 200
    if code:
        try:
            public.QUERY_MISSES.check(client_ip(request))
        except RateLimited as exc:
            notice, status = exc.messages[0], exc.status
        else:
            outcome = public.report_outcome(code)
            if outcome is None:
                public.QUERY_MISSES.hit(client_ip(request))
                status = 404
    return render(
        request,
        "institutions/public_query.html",
        {
            "page_title": "举报办理结果查询",
            "code": code,
            "outcome": outcome,
            "notice": notice,
            "not_found": status == 404,
        },
        status=status,
    )
