"""清单管理 pages. Views parse, check scope (visible_to / get_visible_or_404), call services.

An item is visible through three org paths (the list's owner, the lead unit, the cooperating
units); the last one is a to-many relation, so item querysets are made distinct here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.imports.exports import export_xlsx, xlsx_response
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from . import pdf, services
from .models import PlanKind, WorkItem, WorkPlan
from .status import Status, evaluate, evaluate_many, measure

VIEW_PLAN, MANAGE, VIEW_ITEM, REPORT = (
    "workplans.view_plan",
    "workplans.manage",
    "workplans.view_item",
    "workplans.report",
)


def _items(user):
    return WorkItem.objects.visible_to(user, VIEW_ITEM).distinct()


def _item_or_404(user, pk: int) -> WorkItem:
    item = _items(user).filter(pk=pk).select_related("plan", "plan__owner", "lead_unit").first()
    if item is None:
        raise Http404("对象不存在或不在您的数据范围内")
    return item


@login_required
def index(request):
    if has_perm(request.user, VIEW_PLAN):
        return redirect("workplans:plan_list")
    if has_perm(request.user, VIEW_ITEM):
        return redirect("workplans:mine")
    raise Http404("页面不存在或您没有权限")


# --- lists ---------------------------------------------------------------------------------------


class PlanList(ScopedListView):
    model = WorkPlan
    permission = VIEW_PLAN
    title = "工作清单"
    export_name = "工作清单"
    template_name = "workplans/plan_list.html"
    search_fields = ["name", "owner__name"]
    search_placeholder = "清单名称或教育局"
    select_related = ["owner"]
    order_by = ["-year", "owner__path", "name"]
    filters = [("kind", "清单类型", list(PlanKind.choices))]
    columns = [
        Col("清单名称", lambda p: p.name, lambda p: reverse("workplans:plan", args=[p.pk])),
        Col("年度", lambda p: p.year),
        Col("类型", lambda p: p.get_kind_display()),
        Col("所属教育局", lambda p: p.owner.name),
        Col("事项数", lambda p: p.n_items, num=True),
    ]

    def get_queryset(self):
        return super().get_queryset().annotate(n_items=Count("items"))

    def extra_context(self):
        return {"can_manage": has_perm(self.request.user, MANAGE)}


def _regions(user):
    return list(OrgUnit.objects.visible_to(user, MANAGE).filter(kind__in=REGION_KINDS).order_by("path")[:300])


@login_required
def plan_new(request):
    if not has_perm(request.user, MANAGE):
        raise Http404("页面不存在或您没有权限")
    regions = _regions(request.user)
    if not regions:
        raise Http404("您的数据范围内没有可建清单的地区")
    errors, data = {}, {"year": str(timezone.localdate().year), "kind": PlanKind.POINTS}
    if request.method == "POST":
        data = request.POST
        wanted = data.get("owner") or request.GET.get("owner", "")
        owner = next((r for r in regions if str(r.pk) == wanted), None)
        year = data.get("year", "").strip()
        if owner is None:
            errors["owner"] = ["请选择所属教育局"]
        if not year.isdigit():
            errors["year"] = ["年度应为四位数字，如2026"]
        if not errors:
            try:
                plan = services.create_plan(
                    owner,
                    year=int(year),
                    name=data.get("name", ""),
                    kind=data.get("kind", ""),
                    description=data.get("description", "")[:2000],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, f"已新建清单“{plan.name}”，请下载模板填写事项后导入")
                return redirect("workplans:plan_import", plan.pk)
    return render(
        request,
        "workplans/plan_new.html",
        {"page_title": "新建工作清单", "regions": regions, "kinds": PlanKind.choices, "data": data, "errors": errors},
        status=400 if errors else 200,
    )


def _lead_label(item) -> str:
    return item.lead_unit.name


def _figure(item, ev) -> str:
    if ev.actual is None:
        return ""
    unit = "%" if ev.basis == "percent" else item.unit
    return f"{ev.actual.normalize():f}{unit}"


EXPORT_HEADERS = [
    "序号",
    "分类",
    "事项",
    "目标任务",
    "牵头单位",
    "配合单位",
    "目标值",
    "当前完成",
    "状态",
    "最近报送月份",
    "进展情况",
]


@login_required
def plan_detail(request, pk: int):
    """A list with its items: filters by status and lead unit, the count, xlsx export."""
    plan = get_visible_or_404(WorkPlan, request.user, VIEW_PLAN, pk=pk)
    items = list(
        _items(request.user)
        .filter(plan=plan)
        .select_related("lead_unit", "plan", "plan__owner")
        .prefetch_related("cooperating_units")
        .order_by("number")
    )
    evs = evaluate_many(items)
    leads = sorted({(i.lead_unit_id, i.lead_unit.name) for i in items}, key=lambda x: x[1])
    status_f, lead_f = request.GET.get("status", ""), request.GET.get("lead", "")
    if status_f in Status.values:
        items = [i for i in items if evs[i.pk].status == status_f]
    if lead_f.isdigit():
        items = [i for i in items if i.lead_unit_id == int(lead_f)]
    rows = [(i, evs[i.pk]) for i in items]
    if request.GET.get("export") == "xlsx":
        content = export_xlsx(
            acting_user=request.user,
            sheet_title=plan.name,
            headers=EXPORT_HEADERS,
            rows=(
                [
                    i.number,
                    i.category,
                    i.title,
                    i.target_text,
                    i.lead_unit.name,
                    "、".join(u.name for u in i.cooperating_units.all()),
                    f"{i.target_value.normalize():f}{i.unit}" if i.target_value is not None else "",
                    _figure(i, ev),
                    ev.label,
                    ev.latest.month if ev.latest else "",
                    ev.latest.text if ev.latest else "",
                ]
                for i, ev in rows
            ),
            summary=f"导出工作清单：{plan.name}",
            obj=plan,
        )
        return xlsx_response(f"{plan.name}-{timezone.localdate():%Y%m%d}.xlsx", content)
    counts = {s: sum(1 for ev in evs.values() if ev.status == s) for s in Status.values}
    params = request.GET.copy()
    params.pop("export", None)
    ctx = {
        "page_title": plan.name,
        "plan": plan,
        "rows": rows,
        "total": len(rows),
        "statuses": Status.choices,
        "leads": leads,
        "status_f": status_f,
        "lead_f": lead_f,
        "counts": [(Status(s).label, counts[s], s) for s in Status.values],
        "querystring": params.urlencode(),
        "can_manage": has_perm_at(request.user, MANAGE, plan.owner),
    }
    template = "workplans/plan_detail.html"
    if request.htmx and request.htmx.target == "list-body":
        template += "#list-body"
    return render(request, template, ctx)


@login_required
def import_template(request):
    if not has_perm(request.user, MANAGE):
        raise Http404("页面不存在或您没有权限")
    return xlsx_response("清单事项导入模板.xlsx", services.template_xlsx())


@login_required
def plan_import(request, pk: int):
    plan = get_visible_or_404(WorkPlan, request.user, VIEW_PLAN, pk=pk)
    if not has_perm_at(request.user, MANAGE, plan.owner):
        raise Http404("页面不存在或您没有权限")
    errors, status = [], 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors, status = ["请选择要导入的 Excel 文件"], 400
        elif upload.size > 5 * 1024 * 1024:
            errors, status = ["文件不能超过5MB"], 400
        else:
            try:
                created = services.import_items(
                    plan, upload.read(), filename=upload.name[:100], acting_user=request.user
                )
            except services.ImportRejected as exc:
                errors, status = exc.lines, 400
            else:
                messages.success(request, f"已导入{len(created)}项")
                return redirect("workplans:plan", plan.pk)
    return render(
        request,
        "workplans/plan_import.html",
        {"page_title": f"导入清单事项：{plan.name}", "plan": plan, "errors": errors, "headers": services.COLUMNS},
        status=status,
    )


# --- 成绩单 ---------------------------------------------------------------------------------------


def _scorecard(request, pk: int):
    plan = get_visible_or_404(WorkPlan, request.user, VIEW_PLAN, pk=pk)
    items = list(
        _items(request.user).filter(plan=plan).select_related("lead_unit", "plan", "plan__owner").order_by("number")
    )
    evs = evaluate_many(items)
    rows = [(i, evs[i.pk], _figure(i, evs[i.pk])) for i in items]
    counts = {s: sum(1 for ev in evs.values() if ev.status == s) for s in Status.values}
    return plan, rows, counts


def scorecard_summary(plan, counts) -> str:
    done = counts[Status.ON_TRACK] + counts[Status.EXCEEDED]
    total = sum(counts.values())
    text = f"{plan.name}共{total}项，{done}项按进度完成"
    if counts[Status.EXCEEDED]:
        text += f"（其中{counts[Status.EXCEEDED]}项超额完成）"
    if counts[Status.BEHIND]:
        text += f"，{counts[Status.BEHIND]}项滞后"
    if counts[Status.NOT_STARTED]:
        text += f"，{counts[Status.NOT_STARTED]}项未开始"
    return text + "。"


@login_required
def scorecard(request, pk: int):
    plan, rows, counts = _scorecard(request, pk)
    return render(
        request,
        "workplans/scorecard.html",
        {
            "page_title": f"{plan.name}成绩单",
            "plan": plan,
            "rows": rows,
            "summary": scorecard_summary(plan, counts),
            "as_of": timezone.localdate(),
        },
    )


@login_required
def scorecard_pdf(request, pk: int):
    plan, rows, counts = _scorecard(request, pk)
    try:
        data = pdf.scorecard_pdf(plan, rows, scorecard_summary(plan, counts))
    except pdf.FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    resp = HttpResponse(data, content_type="application/pdf")
    from urllib.parse import quote

    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(plan.name + '成绩单.pdf')}"
    return resp


# --- items ---------------------------------------------------------------------------------------


class ItemList(ScopedListView):
    """Every item the user sees (lead unit, cooperating unit or the list's region), across lists."""

    model = WorkItem
    permission = VIEW_ITEM
    title = "清单事项"
    export_name = "清单事项"
    template_name = "workplans/item_list.html"
    search_fields = ["title", "plan__name", "lead_unit__name"]
    search_placeholder = "事项、清单或牵头单位"
    select_related = ["plan", "plan__owner", "lead_unit"]
    order_by = ["-plan__year", "plan_id", "number"]
    columns = [
        Col("清单", lambda i: i.plan.name),
        Col("序号", lambda i: i.number, num=True),
        Col("事项", lambda i: i.title, lambda i: reverse("workplans:item", args=[i.pk])),
        Col("牵头单位", lambda i: i.lead_unit.name),
        Col("状态", lambda i: evaluate(i).label),
    ]

    def get_queryset(self):
        # the status column reads each item's reports and milestones: fetched per page, not per row
        return super().get_queryset().prefetch_related("reports", "milestones")

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs).distinct()
        if self.request.GET.get("pending") == "1":
            qs = qs.unreported(timezone.localdate())
        return qs


@login_required
def item_detail(request, pk: int):
    """The item, its milestones and progress history; the lead unit's monthly report form."""
    item = _item_or_404(request.user, pk)
    can_report = has_perm_at(request.user, REPORT, item.lead_unit)
    errors, data, status = {}, {}, 200
    if request.method == "POST":
        if not can_report:
            return HttpResponse("只有牵头单位可以报送进展", status=403, content_type="text/plain; charset=utf-8")
        data = request.POST
        try:
            services.report_progress(
                item,
                month=data.get("month", ""),
                text=data.get("text", ""),
                percent=data.get("percent", ""),
                value=data.get("value", ""),
                done_milestones=data.getlist("milestones"),
                files=request.FILES.getlist("files"),
                acting_user=request.user,
            )
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        else:
            messages.success(request, "进展已报送")
            return redirect("workplans:item", item.pk)
    measured = measure(item)
    reports = list(item.reports.select_related("reported_by").prefetch_related("attachments").order_by("-month"))
    milestones = list(item.milestones.all())
    ev = evaluate(item, reports=reports, milestones=milestones, measured=measured, measure_it=False)
    today = timezone.localdate()
    default_month = f"{today:%Y-%m}" if item.plan.year >= today.year else f"{item.plan.year}-12"
    return render(
        request,
        "workplans/item_detail.html",
        {
            "page_title": f"{item.number}. {item.title}",
            "item": item,
            "plan": item.plan,
            "ev": ev,
            "measured": measured,
            "reports": reports,
            "milestones": milestones,
            "cooperating": list(item.cooperating_units.all()),
            "can_report": can_report,
            "can_view_plan": has_perm_at(request.user, VIEW_PLAN, item.plan.owner),
            "can_manage": has_perm_at(request.user, MANAGE, item.plan.owner),
            "month": data.get("month") or default_month,
            "data": data,
            "errors": errors,
        },
        status=status,
    )


@login_required
@require_POST
def remind(request, pk: int):
    """Send this month's reminder now for one list's lead units (the bureau's button)."""
    plan = get_visible_or_404(WorkPlan, request.user, VIEW_PLAN, pk=pk)
    if not has_perm_at(request.user, MANAGE, plan.owner):
        raise Http404("页面不存在或您没有权限")
    month = f"{timezone.localdate():%Y-%m}"
    n = services.send_reminders(month, acting_user=request.user, plan=plan)
    messages.success(request, f"已提醒{n}人报送{month}月度进展")
    return redirect("workplans:plan", plan.pk)


# --- editing (the list's owner) --------------------------------------------------------------------


def _form_values(item) -> dict:
    """The item as the form's (import template's) text fields."""
    from .models import Direction

    def num(d):
        return "" if d is None else f"{d.normalize():f}"

    return {
        "number": str(item.number),
        "category": item.category,
        "title": item.title,
        "target_text": item.target_text,
        "measures": item.measures,
        "lead_unit": item.lead_unit.code or item.lead_unit.name,
        "cooperating": "、".join(u.code or u.name for u in item.cooperating_units.all()),
        "target_value": num(item.target_value),
        "baseline": num(item.baseline),
        "unit": item.unit,
        "direction": "不超过" if item.direction == Direction.LOWER else "达到或超过",
        "indicator_code": item.indicator_code,
    }


def _item_form(request, plan, item=None):
    data = (
        {key: request.POST.get(key, "") for key, *_ in services.COLUMNS}
        if request.method == "POST"
        else (_form_values(item) if item else {"direction": "达到或超过"})
    )
    errors = {}
    if request.method == "POST":
        try:
            spec = services.check_item_form(plan, data, item=item)
            if item is None:
                item = services.add_items(plan, [spec], acting_user=request.user)[0]
                messages.success(request, f"已新增第{item.number}项")
            else:
                item = services.update_item(item, spec, acting_user=request.user)
                messages.success(request, "事项已保存")
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("workplans:item", item.pk)
    fields = [
        {
            "key": key,
            "header": header,
            "required": required,
            "example": example,
            "value": data.get(key, ""),
            "errors": errors.get(key, []),
            "long": key in {"target_text", "measures", "milestones"},
        }
        for key, header, required, example in services.COLUMNS
        if not (item is not None and key == "milestones")
    ]
    return render(
        request,
        "workplans/item_form.html",
        {
            "page_title": f"修改第{item.number}项" if item else f"新增事项：{plan.name}",
            "plan": plan,
            "item": item,
            "fields": fields,
        },
        status=400 if errors else 200,
    )


@login_required
def item_new(request, pk: int):
    plan = get_visible_or_404(WorkPlan, request.user, VIEW_PLAN, pk=pk)
    if not has_perm_at(request.user, MANAGE, plan.owner):
        raise Http404("页面不存在或您没有权限")
    return _item_form(request, plan)


@login_required
def item_edit(request, pk: int):
    item = _item_or_404(request.user, pk)
    if not has_perm_at(request.user, MANAGE, item.plan.owner):
        raise Http404("页面不存在或您没有权限")
    return _item_form(request, item.plan, item)


@login_required
@require_POST
def milestones(request, pk: int):
    """The list's owner adds a milestone (date + description) or removes one."""
    item = _item_or_404(request.user, pk)
    if not has_perm_at(request.user, MANAGE, item.plan.owner):
        raise Http404("页面不存在或您没有权限")
    try:
        if request.POST.get("action") == "remove":
            services.remove_milestone(item, request.POST.get("milestone", ""), acting_user=request.user)
            messages.success(request, "时间节点已删除")
        else:
            services.add_milestone(
                item,
                due=request.POST.get("due", ""),
                description=request.POST.get("description", ""),
                acting_user=request.user,
            )
            messages.success(request, "时间节点已新增")
    except ValidationError as exc:
        msgs = [m for ms in exc.message_dict.values() for m in ms]
        return HttpResponse("；".join(msgs), status=400, content_type="text/plain; charset=utf-8")
    return redirect("workplans:item", item.pk)


@login_required
def attachment(request, pk: int, att: int):
    """A report's attachment, for whoever sees the item."""
    from django.http import FileResponse

    item = _item_or_404(request.user, pk)
    found = services.attachment_of(item, att)
    if found is None:
        raise Http404("附件不存在")
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在") from None
    return FileResponse(handle, content_type=found.content_type, as_attachment=False, filename=found.name)
