"""Bureau pages (login, scoped): the warning list and its export, the 学区 list, and the county
administrator's threshold form. Views parse, check scope, call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import PolicyForm
from ..models import Community, IntakeWarning, Level, Stage, WarningPolicy


def _years():
    return [(str(y), f"{y}年") for y in services.intake_years()]


class WarningList(ScopedListView):
    """The 3-year oversubscription warnings of the schools in the user's subtree."""

    model = IntakeWarning
    permission = "enrollment.view_warning"
    title = "入学预警"
    export_name = "入学预警"
    search_fields = ["school__name", "school__code"]
    search_placeholder = "学校名称或标识码"
    select_related = ["school"]
    order_by = ["school__path", "stage", "year"]
    columns = [
        Col("区县", lambda w: w.county_name),
        Col("学校", lambda w: w.school.name, lambda w: reverse("enrollment:school", args=[w.school_id])),
        Col("学校标识码", lambda w: w.school.code),
        Col("学段", lambda w: w.get_stage_display()),
        Col("招生年份", lambda w: w.year, num=True),
        Col("预计学区生源", lambda w: w.applicants, num=True),
        Col("计划学位", lambda w: w.seats, num=True),
        Col("生源/学位（%）", lambda w: float(w.ratio) if w.ratio is not None else None, num=True),
        Col("预警等级", lambda w: w.get_level_display()),
    ]

    @property
    def filters(self):
        return [("level", "预警等级", list(Level.choices)), ("stage", "学段", list(Stage.choices)),
                ("year", "招生年份", _years())]

    def get_queryset(self):
        return services.with_county_name(super().get_queryset().filter(year__in=services.intake_years()))


class CommunityList(ScopedListView):
    """Communities of the user's counties and the schools whose 学区 they are in."""

    model = Community
    permission = "enrollment.view_district"
    title = "学区划分"
    search_fields = ["name", "address_keywords"]
    search_placeholder = "小区名称或地址"
    select_related = ["county"]
    order_by = ["county__path", "name"]
    columns = [
        Col("区县", lambda c: c.county.name),
        Col("小区", lambda c: c.name),
        Col("地址关键词", lambda c: c.address_keywords),
        Col("学区小学", lambda c: "、".join(s.name for s in c.primary_schools.all())),
        Col("学区初中", lambda c: "、".join(s.name for s in c.junior_schools.all())),
    ]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("primary_schools", "junior_schools")


@login_required
def policy_index(request):
    """The counties whose thresholds this user may set."""
    if not has_perm(request.user, "enrollment.set_policy"):
        raise Http404("页面不存在或您没有权限")
    counties = OrgUnit.objects.visible_to(request.user, "enrollment.set_policy").filter(kind=OrgKind.COUNTY)
    return render(request, "enrollment/policy_index.html", {"page_title": "入学预警阈值", "counties": counties})


@login_required
def policy_edit(request, pk: int):
    """Show and set one county's thresholds for an intake year (default: the next intake)."""
    county = get_visible_or_404(OrgUnit, request.user, "enrollment.set_policy", pk=pk, kind=OrgKind.COUNTY)
    years = services.intake_years()
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or years[0])
    except ValueError:
        year = years[0]
    policies = WarningPolicy.objects.visible_to(request.user, "enrollment.set_policy").filter(county=county)
    current = services.policy_for(county, year)
    yellow, orange, red = services.thresholds(current)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.set_policy(county, form.cleaned_data["year"], yellow_from=form.cleaned_data["yellow_from"],
                                    orange_from=form.cleaned_data["orange_from"],
                                    red_from=form.cleaned_data["red_from"], acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存{county.name}{form.cleaned_data['year']}年预警阈值，预警已重新计算")
                return redirect(f"{reverse('enrollment:policy_edit', args=[county.pk])}?year={form.cleaned_data['year']}")
        status = 400
    else:
        form = PolicyForm(initial={"year": year, "yellow_from": yellow, "orange_from": orange, "red_from": red})
    return render(request, "enrollment/policy_form.html",
                  {"page_title": f"{county.name}入学预警阈值", "county": county, "form": form, "year": year,
                   "years": years, "policies": policies.order_by("-year")}, status=status)
