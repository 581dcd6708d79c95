"""电脑派位 bureau pages (login, scoped to the county): the draws of the user's subtree, one draw's
page (the notary enters the public seed; the county administrator runs it once as a background
job whose progress the page polls, then publishes), the create page and the admission list with
xlsx export. Pages are shown with enrollment.view_draw; each action checks its own permission in
draws.py. Views parse, check scope, call draws.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import draws
from ..forms import DrawActionForm, DrawNewForm
from ..models import Admission, Draw, DrawStatus, Stage
from ..services import intake_years


class DrawList(ScopedListView):
    model = Draw
    permission = "enrollment.view_draw"
    title = "电脑派位"
    export_name = "电脑派位"
    search_fields = ["county__name"]
    search_placeholder = "区县"
    select_related = ["county"]
    order_by = ["county__path", "-year"]
    columns = [
        Col("区县", lambda d: d.county.name, lambda d: reverse("enrollment:draw_manage", args=[d.pk])),
        Col("招生年份", lambda d: d.year, num=True),
        Col("学段", lambda d: d.get_stage_display()),
        Col("派位办法", lambda d: d.get_mechanism_display()),
        Col("状态", lambda d: d.get_status_display()),
        Col("公示页", lambda d: "公示", lambda d: reverse("enrollment:draw", args=[d.pk])),
    ]


def draw_manage(request, pk: int):
    """One draw: the notary enters the seed (then public and fixed); the county administrator runs
    it once (a background job, progress polled with htmx) and publishes the results."""
    d = get_visible_or_404(Draw, request.user, "enrollment.view_draw", pk=pk)
    status, errors = 200, {}
    if request.method == "POST":
        form = DrawActionForm(request.POST)
        action = form.cleaned_data["action"] if form.is_valid() else None
        try:
            if action == "seed":
                draws.enter_seed(
                    d, form.cleaned_data["seed"], again=form.cleaned_data["seed_again"], acting_user=request.user
                )
                messages.success(request, "随机种子已录入并公布")
            elif action == "run":
                draws.start_run(d, acting_user=request.user)
                messages.success(request, "已开始派位，请稍候查看进度")
            elif action == "publish":
                draws.publish_draw(d, acting_user=request.user)
                messages.success(request, "派位结果已公布，正在通过站内消息和短信通知家长")
        except PermissionDenied:
            messages.error(request, {"seed": "只有公证员可以录入随机种子"}.get(str(action), "您没有执行此操作的权限"))
            status = 403
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if not form.errors:
                return redirect("enrollment:draw_manage", pk=d.pk)
        if form.errors:
            messages.error(request, "；".join(form.error_lines()))
            errors, status = form.named_errors(), 400
    d = get_visible_or_404(Draw, request.user, "enrollment.view_draw", pk=pk)
    ctx = {
        "page_title": str(d),
        "draw": d,
        "job": d.job,
        "statuses": DrawStatus,
        "can_seed": has_perm_at(request.user, "enrollment.enter_seed", d.county),
        "can_run": has_perm_at(request.user, "enrollment.run_draw", d.county),
        "seed_rule": draws.SEED_RULE,
        "seed_digits": draws.SEED_DIGITS,
        "seed_pattern": f"[0-9]{{{draws.SEED_DIGITS}}}",
        "errors": errors,
    }
    template = "enrollment/draw_manage.html"
    if request.htmx and request.htmx.target == "draw-run":
        template = f"{template}#draw-run"
    return render(request, template, ctx, status=status)


class AdmissionList(ScopedListView):
    model = Admission
    permission = "enrollment.run_draw"
    title = "派位录取结果"
    export_name = "派位录取结果"
    search_fields = ["registration__child_name", "school__name"]
    search_placeholder = "儿童姓名或学校"
    select_related = ["draw__county", "registration", "school"]
    order_by = ["draw__county__path", "school__path", "lottery_number"]
    columns = [
        Col("派位", lambda a: str(a.draw)),
        Col("儿童姓名", lambda a: a.registration.child_name),
        Col("身份证号", lambda a: a.registration.id_number_masked),
        Col("录取学校", lambda a: a.school.name if a.school else "未录取"),
        Col("招生类别", lambda a: a.category, num=True),
        Col("随机号", lambda a: a.lottery_number[:16]),
        Col("放弃录取", lambda a: a.get_waiver_status_display() if a.waiver_status else ""),
    ]


def draw_new(request):
    """Create a county's draw for an intake year and stage (county administrators of their own
    subtree). The county comes from the form or from the address (?county=<id>)."""
    if not request.user.is_authenticated or not has_perm(request.user, "enrollment.run_draw"):
        raise Http404("页面不存在或您没有权限")
    counties = OrgUnit.objects.visible_to(request.user, "enrollment.run_draw").filter(kind=OrgKind.COUNTY)
    years = intake_years()
    form = DrawNewForm(request.POST if request.method == "POST" else None, years=years)
    if form.is_bound:
        valid = form.is_valid()  # the county is checked (404 outside the scope) even when a field is refused
        county = get_visible_or_404(
            OrgUnit,
            request.user,
            "enrollment.run_draw",
            pk=form.cleaned_data.get("county") or request.GET.get("county") or 0,
            kind=OrgKind.COUNTY,
        )
        if valid:
            d = form.cleaned_data
            try:
                draw = draws.create_draw(
                    county, d["year"], stage=d["stage"], mechanism=d["mechanism"] or None, acting_user=request.user
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("enrollment:draw_manage", pk=draw.pk)
        messages.error(request, "；".join(form.error_lines()))
    return render(
        request,
        "enrollment/draw_new.html",
        {
            "page_title": "新建电脑派位",
            "counties": counties,
            "years": years,
            "stages": Stage.choices,
            "selected": request.GET.get("county", ""),
        },
        status=400 if form.errors else 200,
    )
