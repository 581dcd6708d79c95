"""Bureau pages (login, scoped): the warning list and its export, the 学区 list, and the county
administrator's 招生政策 page (thresholds, 招生类别, 报名时间, 派位办法, and why 平行志愿).
Views parse, check scope, call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import policy, priority, services
from ..forms import MechanismForm, OverflowForm, PlanForm, PolicyForm, WindowForm
from ..models import (
    Community,
    EnrollmentPolicy,
    IntakePlan,
    IntakeWarning,
    Level,
    Mechanism,
    PriorityCategory,
    Stage,
    WarningPolicy,
)


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
        return [
            ("level", "预警等级", list(Level.choices)),
            ("stage", "学段", list(Stage.choices)),
            ("year", "招生年份", _years()),
        ]

    def get(self, request, *args, **kwargs):
        # those who keep plans go from a school to its plan page rather than the public one
        if has_perm(request.user, "enrollment.change_plan"):
            self.columns = [
                Col("学校", lambda w: w.school.name, lambda w: reverse("enrollment:school_manage", args=[w.school_id]))
                if c.header == "学校"
                else c
                for c in type(self).columns
            ]
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
    """The counties whose 招生政策 this user may set."""
    if not has_perm(request.user, "enrollment.set_policy"):
        raise Http404("页面不存在或您没有权限")
    counties = OrgUnit.objects.visible_to(request.user, "enrollment.set_policy").filter(kind=OrgKind.COUNTY)
    return render(request, "enrollment/policy_index.html", {"page_title": "招生政策", "counties": counties})


# --- the policy page of a county and intake year: 预警阈值, 招生类别, 报名时间, 派位办法 ---------

SET_POLICY = "enrollment.set_policy"
# a condition's three states on the page: must hold, must not hold, not asked (left out of the rule)
CONDITION_STATES = {"yes": True, "no": False, "": None}


def _county(request, pk):
    return get_visible_or_404(OrgUnit, request.user, SET_POLICY, pk=pk, kind=OrgKind.COUNTY)


def _year(request) -> int:
    """The intake year of the page (default: the next intake). A POST names it; a bad one is 400."""
    raw = request.POST.get("year") if request.method == "POST" else request.GET.get("year")
    if not raw:
        return services.intake_years()[0]
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        if request.method == "POST":
            raise _BadInput("招生年份：请填写2000至2100之间的年份")
        return services.intake_years()[0]
    return year


class _BadInput(Exception):
    """A request the page cannot parse: answered 400 with this Chinese message, nothing saved."""


def _rows_of_categories(categories) -> list[dict]:
    return [{"name": c.name, "conditions": dict(c.conditions)} for c in categories]


def _rows_from_post(post) -> list[dict]:
    """The 招生类别 rows of the form, in page order: parallel lists `name` and `cond_<key>`."""
    names = post.getlist("name")
    columns = {key: post.getlist(f"cond_{key}") or [""] * len(names) for key in priority.CONDITIONS}
    if any(len(values) != len(names) for values in columns.values()):
        raise _BadInput("招生类别：表单数据不完整，请刷新页面后重试")
    if len(names) > priority.MAX_CATEGORIES:
        raise _BadInput(f"招生类别最多{priority.MAX_CATEGORIES}条")
    rows = []
    for i, name in enumerate(names):
        conditions = {}
        for key, label in priority.CONDITIONS.items():
            value = columns[key][i]
            if value not in CONDITION_STATES:
                raise _BadInput(f"第{i + 1}条类别的“{label}”只能选择是、否或不限")
            if CONDITION_STATES[value] is not None:
                conditions[key] = CONDITION_STATES[value]
        rows.append({"name": name.strip(), "conditions": conditions})
    return rows


def _edit_rows(rows: list[dict], op: str) -> list[dict]:
    """Apply an editing button (add, up-N, down-N, remove-N; N from 1) to the unsaved rows."""
    if op == "add":
        if len(rows) >= priority.MAX_CATEGORIES:
            raise _BadInput(f"招生类别最多{priority.MAX_CATEGORIES}条")
        return [*rows, {"name": "", "conditions": {}}]
    verb, _, number = op.partition("-")
    if verb not in {"up", "down", "remove"} or not number.isdigit() or not 1 <= int(number) <= len(rows):
        raise _BadInput("招生类别：无法识别的操作，请刷新页面后重试")
    i = int(number) - 1
    rows = list(rows)
    if verb == "remove":
        del rows[i]
    else:
        j = i - 1 if verb == "up" else i + 1
        if 0 <= j < len(rows):
            rows[i], rows[j] = rows[j], rows[i]
    return rows


def _category_table(rows: list[dict]) -> list[dict]:
    """Rows for the template: each condition as its state ("yes"/"no"/"")."""
    return [
        {
            "name": r["name"],
            "conditions": [
                (key, label, "" if key not in r["conditions"] else ("yes" if r["conditions"][key] else "no"))
                for key, label in priority.CONDITIONS.items()
            ],
        }
        for r in rows
    ]


def _policy_page(
    request,
    county,
    year,
    *,
    status=200,
    threshold_form=None,
    window_form=None,
    mechanism_form=None,
    rows=None,
    category_error="",
    category_note="",
    partial="",
):
    years = services.intake_years()
    thresholds = WarningPolicy.objects.visible_to(request.user, SET_POLICY).filter(county=county)
    current = services.policy_for(county, year)
    yellow, orange, red = services.thresholds(current)
    rules = EnrollmentPolicy.objects.visible_to(request.user, SET_POLICY).filter(county=county, year=year).first()
    mechanism = rules.mechanism if rules else Mechanism.DA
    if rows is None:
        rows = _rows_of_categories(
            PriorityCategory.objects.visible_to(request.user, SET_POLICY)
            .filter(county=county, year=year)
            .order_by("rank")
        )
    ctx = {
        "page_title": f"{county.name}{year}年招生政策",
        "county": county,
        "year": year,
        "years": sorted({*years, year}),
        "form": threshold_form
        or PolicyForm(initial={"year": year, "yellow_from": yellow, "orange_from": orange, "red_from": red}),
        "policies": thresholds.order_by("-year"),
        "rows": _category_table(rows),
        "conditions": priority.CONDITIONS,
        "max_categories": priority.MAX_CATEGORIES,
        "category_error": category_error,
        "category_note": category_note,
        "rules": rules,
        "mechanism": mechanism,
        "mechanism_label": Mechanism(mechanism).label,
        "window_form": window_form
        or WindowForm(
            initial={
                "year": year,
                "registration_opens": rules
                and rules.registration_opens
                and timezone.localtime(rules.registration_opens),
                "registration_closes": rules
                and rules.registration_closes
                and timezone.localtime(rules.registration_closes),
            }
        ),
        "mechanism_form": mechanism_form or MechanismForm(initial={"year": year, "mechanism": mechanism}),
        "why": policy.manipulation_facts(),
    }
    template = "enrollment/policy_form.html"
    if partial and request.htmx:
        template = f"{template}#{partial}"
    return render(request, template, ctx, status=status)


def _policy_url(county, year, anchor=""):
    return f"{reverse('enrollment:policy_edit', args=[county.pk])}?year={year}{anchor}"


@login_required
def policy_edit(request, pk: int):
    """A county's 招生政策 for one intake year (default: the next intake); a POST sets the thresholds."""
    county = _county(request, pk)
    try:
        year = _year(request)
    except _BadInput:
        year = services.intake_years()[0]  # the threshold form names the bad year itself
    if request.method != "POST":
        return _policy_page(request, county, year)
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            services.set_policy(
                county,
                form.cleaned_data["year"],
                yellow_from=form.cleaned_data["yellow_from"],
                orange_from=form.cleaned_data["orange_from"],
                red_from=form.cleaned_data["red_from"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存{county.name}{form.cleaned_data['year']}年预警阈值，预警已重新计算")
            return redirect(_policy_url(county, form.cleaned_data["year"]))
    return _policy_page(request, county, year, status=400, threshold_form=form)


@login_required
@require_POST
def policy_categories(request, pk: int):
    """招生类别 editor: the row buttons re-show the unsaved rows; 保存 replaces the year's rules."""
    county = _county(request, pk)
    year = services.intake_years()[0]
    try:
        year = _year(request)
        rows = _rows_from_post(request.POST)
        op = request.POST.get("op") or "save"
        if op != "save":
            return _policy_page(request, county, year, rows=_edit_rows(rows, op), partial="categories")
    except _BadInput as exc:
        return _policy_page(request, county, year, status=400, category_error=str(exc), partial="categories")
    try:
        priority.set_categories(county, year, rows, acting_user=request.user)
    except ValidationError as exc:
        return _policy_page(
            request, county, year, status=400, rows=rows, category_error="；".join(exc.messages), partial="categories"
        )
    note = f"已保存{county.name}{year}年招生类别（{len(rows)}条）"
    if request.htmx:
        return _policy_page(request, county, year, category_note=note, partial="categories")
    messages.success(request, note)
    return redirect(_policy_url(county, year, "#categories"))


@login_required
@require_POST
def policy_window(request, pk: int):
    """Set the registration window (报名时间) of the county for one intake year."""
    county = _county(request, pk)
    form = WindowForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            policy.set_window(
                county, d["year"], d["registration_opens"], d["registration_closes"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存{county.name}{d['year']}年报名时间")
            return redirect(_policy_url(county, d["year"], "#window"))
    year = form.cleaned_data.get("year") or services.intake_years()[0]
    return _policy_page(request, county, year, status=400, window_form=form)


@login_required
@require_POST
def policy_mechanism(request, pk: int):
    """Choose the 派位办法 of the county for one intake year."""
    county = _county(request, pk)
    form = MechanismForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            policy.set_mechanism(county, d["year"], d["mechanism"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存{county.name}{d['year']}年派位办法：{Mechanism(d['mechanism']).label}")
            return redirect(_policy_url(county, d["year"], "#mechanism"))
    year = form.cleaned_data.get("year") or services.intake_years()[0]
    return _policy_page(request, county, year, status=400, mechanism_form=form)


def _school(request, pk):
    return get_visible_or_404(OrgUnit, request.user, "enrollment.change_plan", pk=pk, kind=OrgKind.SCHOOL)


def _school_page(request, school, *, plan_form=None, overflow_form=None, status=200):
    years = services.intake_years()
    profile = services.profile_of(school)
    plans = IntakePlan.objects.visible_to(request.user, "enrollment.change_plan").filter(school=school, year__in=years)
    ctx = {
        "page_title": f"{school.name} · 招生计划与分流",
        "school": school,
        "years": years,
        "profile": profile,
        "plans": plans.order_by("year", "stage"),
        "plan_form": plan_form
        or PlanForm(initial={"year": years[0], "stage": (services.stages_of(school) or [Stage.PRIMARY])[0]}),
        "overflow_form": overflow_form
        or OverflowForm(
            initial={
                "overflow_code": profile.overflow_school.code if profile and profile.overflow_school else "",
                "overflow_note": profile.overflow_note if profile else "",
            }
        ),
    }
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
            services.set_intake_plan(
                school,
                d["year"],
                d["stage"],
                classes=d["classes"],
                class_size=d["class_size"],
                acting_user=request.user,
            )
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
            target = (
                OrgUnit.objects.visible_to(request.user, "enrollment.change_plan")
                .filter(kind=OrgKind.SCHOOL, code=code)
                .first()
            )
            if target is None:
                form.add_error("overflow_code", gettext("学校不存在或不在您的数据范围内"))
        if form.is_valid():
            try:
                services.set_overflow(school, target, form.cleaned_data["overflow_note"], acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存分流安排")
                return redirect("enrollment:school_manage", school.pk)
    return _school_page(request, school, overflow_form=form, status=400)
