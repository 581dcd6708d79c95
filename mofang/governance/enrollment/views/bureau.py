"""Bureau pages (login, scoped): the warning list and its export, the 学区 list, and the county
administrator's threshold form. Views parse, check scope, call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import OverflowForm, PlanForm, PolicyForm
from ..models import Community, IntakePlan, IntakeWarning, Level, Stage, WarningPolicy


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

    def get(self, request, *args, **kwargs):
        # those who keep plans go from a school to its plan page rather than the public one
        if has_perm(request.user, "enrollment.change_plan"):
            self.columns = [Col("学校", lambda w: w.school.name,
                                lambda w: reverse("enrollment:school_manage", args=[w.school_id])) if c.header == "学校"
                            else c for c in type(self).columns]
        return super().get(request, *args, **kwargs)

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


def _school(request, pk):
    return get_visible_or_404(OrgUnit, request.user, "enrollment.change_plan", pk=pk, kind=OrgKind.SCHOOL)


def _school_page(request, school, *, plan_form=None, overflow_form=None, status=200):
    years = services.intake_years()
    profile = services.profile_of(school)
    plans = IntakePlan.objects.visible_to(request.user, "enrollment.change_plan").filter(school=school, year__in=years)
    ctx = {"page_title": f"{school.name} · 招生计划与分流", "school": school, "years": years, "profile": profile,
           "plans": plans.order_by("year", "stage"),
           "plan_form": plan_form or PlanForm(initial={"year": years[0], "stage": (services.stages_of(school) or
                                                                                  [Stage.PRIMARY])[0]}),
           "overflow_form": overflow_form or OverflowForm(initial={
               "overflow_code": profile.overflow_school.code if profile and profile.overflow_school else "",
               "overflow_note": profile.overflow_note if profile else ""})}
    return render(request, "enrollment/school_manage.html", ctx, status=status)


@login_required
def school_manage(request, pk: int):
    """A school's plans for the next three intakes and its 分流, for those who keep them."""
    return _school_page(request, _school(request, pk))


@login_required
@require_POST
def set_plan(request, pk: int):
    school = _school(request, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.set_intake_plan(school, d["year"], d["stage"], classes=d["classes"], class_size=d["class_size"],
                                     acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存{d['year']}年招生计划，预警已重新计算")
            return redirect("enrollment:school_manage", school.pk)
    return _school_page(request, school, plan_form=form, status=400)


@login_required
@require_POST
def set_overflow(request, pk: int):
    school = _school(request, pk)
    form = OverflowForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["overflow_code"].strip()
        target = None
        if code:
            # the overflow school must be one this user may plan for too
            target = (OrgUnit.objects.visible_to(request.user, "enrollment.change_plan")
                      .filter(kind=OrgKind.SCHOOL, code=code).first())
            if target is None:
                form.add_error("overflow_code", "学校不存在或不在您的数据范围内")
        if form.is_valid():
            try:
                services.set_overflow(school, target, form.cleaned_data["overflow_note"], acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存分流安排")
                return redirect("enrollment:school_manage", school.pk)
    return _school_page(request, school, overflow_form=form, status=400)
