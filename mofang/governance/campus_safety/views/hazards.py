"""学校吹哨: the 上报隐患 page, and the hazard list (a school's own reports, a department's queue,
a county's whole picture — the same list, narrowed by the scope layer)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.cases.models import Case
from mofang.platform.cases.queries import queue_condition
from mofang.platform.orgs import boundaries
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..cases import CATEGORIES, CODE, HAZARD, SEVERITIES, is_unassigned
from ..forms import HazardForm
from ..roles import REPORT, VIEW
from . import case_url, errors_into, form_data

CATEGORY_LABELS, SEVERITY_LABELS = dict(CATEGORIES), dict(SEVERITIES)


def _responsible(case) -> str:
    return f"待分派（{case.responsible_org.name}）" if is_unassigned(case) else case.responsible_org.name


class HazardList(ScopedListView):
    """Hazards in the user's scope: a school sees what it reported, a department what was routed
    to it, a county everything in the county. Each row opens the engine's case page."""

    template_name = "cases/cards_list.html"  # a card per row on phones
    model = Case
    permission = VIEW
    title = "校园安全隐患台账"
    export_name = "校园安全隐患"
    search_fields = ["number", "title", "address"]
    search_placeholder = "编号、标题或地点"
    select_related = ["reporting_org", "responsible_org", "claimed_by"]
    order_by = ["-opened_at", "-id"]
    filters = [
        ("state", "状态", [(s.code, s.label) for s in HAZARD.states]),
        ("category", "类别", list(CATEGORIES)),
        ("severity", "紧急程度", list(SEVERITIES)),
    ]
    columns = [
        Col("编号", lambda c: c.number, case_url),
        Col("标题", lambda c: c.title, case_url),
        Col("类别", lambda c: CATEGORY_LABELS.get(c.category, c.category)),
        Col("紧急程度", lambda c: SEVERITY_LABELS.get(c.severity, c.severity)),
        Col("上报学校", lambda c: c.reporting_org.name),
        Col("责任单位", _responsible),
        Col("认领人", lambda c: str(c.claimed_by) if c.claimed_by else ""),
        Col("状态", lambda c: c.state_label),
        Col("上报时间", lambda c: timezone.localtime(c.opened_at).strftime("%Y-%m-%d %H:%M")),
        Col("办理期限", lambda c: timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M") if c.due_at else ""),
        Col("逾期", lambda c: "逾期" if c.is_overdue(timezone.now()) else ""),
    ]

    def base_queryset(self):
        return super().base_queryset().filter(case_type=CODE)

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if self.request.GET.get("view") == "queue":  # 待我单位认领: the home page's to-do, by the engine's rule
            qs = qs.filter(queue_condition(self.request.user))
        return qs

    def extra_context(self):
        return {"page_title": self.title}


def _schools(user):
    return list(OrgUnit.objects.visible_to(user, REPORT).filter(kind=OrgKind.SCHOOL).order_by("path"))


@login_required
def report(request):
    """上报隐患: category, severity, title, description, place (address, lon/lat), photos."""
    if not has_perm(request.user, REPORT):
        raise Http404("页面不存在或您没有权限")
    schools = _schools(request.user)
    if not schools:
        raise Http404("页面不存在或您没有权限")
    status = 200
    if request.method == "POST":
        form = HazardForm(form_data(request, "school"), schools=schools)
        if form.is_valid():
            d = form.cleaned_data
            school = next(s for s in schools if s.pk == d["school"])
            try:
                case = services.report_hazard(
                    school,
                    acting_user=request.user,
                    category=d["category"],
                    severity=d["severity"],
                    title=d["title"],
                    description=d["description"],
                    address=d["address"],
                    lon=d["lon"],
                    lat=d["lat"],
                    photos=request.FILES.getlist("photos"),
                )
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(
                    request,
                    f"已上报，编号{case.number}，已交{case.responsible_org.name}"
                    f"{'（待分派）' if is_unassigned(case) else ''}。",
                )
                return redirect(case_url(case))
        status = 400
    else:
        first = next((s for s in schools if str(s.pk) == request.GET.get("school")), schools[0])
        form = HazardForm(
            schools=schools,
            initial={
                "school": first.pk,
                "severity": "normal",
                "lon": first.longitude,
                "lat": first.latitude,
                "address": first.address,
            },
        )
    chosen = next((s for s in schools if str(s.pk) == str(form["school"].value())), schools[0])
    return render(
        request,
        "campus_safety/report.html",
        {
            "page_title": "上报校园安全隐患",
            "form": form,
            "max_photos": services.MAX_PHOTOS,
            "points": services.map_points(chosen),
            "map_county": boundaries.county_at(chosen.longitude, chosen.latitude),
        },
        status=status,
    )
