"""教育督导 pages. Views parse, check scope (visible_to / get_visible_or_404), call services.

The case itself (timeline, claim, generic actions) lives on the engine's page /cases/<pk>/; the
整改通知 page here shows what is the module's own: the finding, term, 挂牌督导, 回头看, publication,
the PDFs, and the school's reply / the inspector's verification through services.py.
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
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from . import compliance, config, pdf, services
from .cases import RECTIFICATION, TERMS
from .forms import (
    ChecklistChangeForm,
    ChecklistForm,
    CopyForm,
    InspectorChangeForm,
    InspectorForm,
    NoticeForm,
    RectificationActionForm,
    VisitForm,
)
from .models import Checklist, Finding, Inspector, ItemResult, Rectification, Visit


def _messages_of(exc: ValidationError) -> list[str]:
    return exc.messages


@login_required
def index(request):
    if has_perm(request.user, "supervision.view_compliance"):
        return redirect("supervision:compliance")
    if has_perm(request.user, "supervision.view_rectification"):
        return redirect("supervision:rectification_list")
    raise Http404("页面不存在或您没有权限")


# --- 督学配备 -----------------------------------------------------------------------------------


@login_required
def compliance_page(request):
    """Per county: schools, inspectors, the shortfall on each rule, the current 责任区 and a proposal."""
    if not has_perm(request.user, "supervision.view_compliance"):
        raise Http404("页面不存在或您没有权限")
    counties = list(
        OrgUnit.objects.visible_to(request.user, "supervision.view_compliance")
        .filter(kind=OrgKind.COUNTY)
        .order_by("path")[:200]
    )
    if not counties:
        raise Http404("您的数据范围内没有区县")
    wanted = request.GET.get("county", "")
    selected = next((c for c in counties if str(c.pk) == wanted), counties[0])
    report, facts = compliance.county_report(selected)
    schools, inspectors = facts["schools"], facts["inspectors"]

    def rows(assignment):
        out = []
        for ins_id, school_ids in (assignment or {}).items():
            ins = inspectors.get(ins_id)
            out.append({"inspector": ins, "schools": [schools[s] for s in school_ids if s in schools]})
        return out

    return render(
        request,
        "supervision/compliance.html",
        {
            "page_title": "督学配备与责任区",
            "counties": counties,
            "selected": selected,
            "report": report,
            "current": rows(facts["current"]),
            "proposal": rows(report.proposal),
            "big_limit": compliance.BIG_SCHOOL,
            "can_assign": has_perm_at(request.user, "supervision.assign", selected),
        },
    )


@login_required
@require_POST
def adopt(request, pk: int):
    county = get_visible_or_404(OrgUnit, request.user, "supervision.assign", pk=pk, kind=OrgKind.COUNTY)
    try:
        n = services.adopt_proposal(county, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_messages_of(exc)))
        return redirect(f"{reverse('supervision:compliance')}?county={county.pk}")
    messages.success(request, f"已采用建议方案，{n}所学校确定了责任督学")
    return redirect(f"{reverse('supervision:compliance')}?county={county.pk}")


# --- 进校督查 -----------------------------------------------------------------------------------


class VisitList(ScopedListView):
    model = Visit
    permission = "supervision.view_visit"
    title = "进校督查记录"
    export_name = "进校督查记录"
    search_fields = ["school__name", "inspector__name"]
    search_placeholder = "学校或督学"
    select_related = ["school", "inspector", "checklist"]
    order_by = ["-visited_on", "-id"]
    columns = [
        Col("督查日期", lambda v: v.visited_on.isoformat(), lambda v: reverse("supervision:visit_detail", args=[v.pk])),
        Col("学校", lambda v: v.school.name),
        Col("督学", lambda v: v.inspector.name),
        Col("督查清单", lambda v: v.checklist.name),
        Col("发现问题", lambda v: v.problems, num=True),
    ]

    def get_queryset(self):
        return super().get_queryset().annotate(problems=Count("findings"))


@login_required
def visit_new(request):
    """An inspector records a visit: the school, the date, and each checklist item 符合 / 存在问题."""
    if not has_perm(request.user, "supervision.record_visit"):
        raise Http404("页面不存在或您没有权限")
    inspector = services.inspector_of(request.user)
    if inspector is None:
        return render(
            request,
            "supervision/message.html",
            {"page_title": "新增督查记录", "message": "您的账号尚未登记为督学，请联系区县督导室。"},
            status=403,
        )
    form = VisitForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        schools=services.schools_for_visit(request.user, inspector),
        lists=services.active_checklists(inspector.county),
        wanted_checklist=request.GET.get("checklist", ""),
        items_of=services.checklist_items,
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                visit = services.record_visit(
                    inspector=inspector,
                    school=form.school_unit,
                    visited_on=form.cleaned_data["visited_on"],
                    checklist=form.checklist,
                    results=form.results,
                    summary=form.cleaned_data["summary"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"督查记录已保存，发现问题{visit.findings.count()}项")
                return redirect("supervision:visit_detail", pk=visit.pk)
        status = 400
    return render(
        request,
        "supervision/visit_new.html",
        {
            "page_title": "新增督查记录",
            "inspector": inspector,
            "schools": list(form.schools.values()),
            "lists": list(form.lists.values()),
            "checklist": form.checklist,
            "items": form.items,
            "errors": form.error_lines() if form.is_bound else [],
            "posted": form.data,
            "today": timezone.localdate().isoformat(),
            "results": ItemResult.choices,
        },
        status=status,
    )


@login_required
def visit_detail(request, pk: int):
    visit = get_visible_or_404(Visit, request.user, "supervision.view_visit", pk=pk)
    findings = []
    can_issue = has_perm_at(request.user, "supervision.issue_notice", visit.school)
    for f in visit.findings.select_related("visit_item__item").order_by("visit_item__item__order"):
        rect = (
            Rectification.objects.visible_to(request.user, "supervision.view_rectification")
            .filter(finding=f)
            .select_related("case")
            .first()
        )
        findings.append({"finding": f, "rect": rect})
    return render(
        request,
        "supervision/visit_detail.html",
        {
            "page_title": f"进校督查：{visit.school.name}",
            "visit": visit,
            "findings": findings,
            "results": visit.results.select_related("item").order_by("item__order"),
            "can_issue": can_issue,
            "terms": TERMS,
        },
    )


@login_required
@require_POST
def issue_notice(request, pk: int):
    finding = get_visible_or_404(Finding, request.user, "supervision.issue_notice", pk=pk)
    form = NoticeForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            rect = services.issue_notice(
                finding,
                content=d["content"],
                term_days=d["term_days"],
                major=d["major"],
                recheck_days=d["recheck_days"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
    if form.errors:
        return render(
            request,
            "supervision/message.html",
            {
                "page_title": "下达整改通知",
                "message": "；".join(form.error_lines()),
                "back": reverse("supervision:visit_detail", args=[finding.visit_id]),
            },
            status=400,
        )
    messages.success(request, f"整改通知{rect.case.number}已下达")
    return redirect("supervision:rectification", pk=rect.pk)


# --- 整改通知 -----------------------------------------------------------------------------------


class RectificationList(ScopedListView):
    model = Rectification
    permission = "supervision.view_rectification"
    title = "整改通知"
    export_name = "整改通知"
    search_fields = ["school__name", "case__number", "case__title"]
    search_placeholder = "学校或编号"
    select_related = ["school", "case"]
    order_by = ["-id"]
    columns = [
        Col("编号", lambda r: r.case.number, lambda r: reverse("supervision:rectification", args=[r.pk])),
        Col("学校", lambda r: r.school.name),
        Col("问题", lambda r: r.case.title),
        Col("状态", lambda r: r.case.state_label),
        Col("整改期限（天）", lambda r: r.term_days, num=True),
        Col("挂牌督导", lambda r: "是" if r.major else ""),
        Col("督办", lambda r: "已督办" if r.case.supervised_at else ""),
        Col("公开", lambda r: "已公开" if r.published else ""),
    ]
    filters = [
        ("case__state", "状态", [(s.code, s.label) for s in RECTIFICATION.states]),
        # the school's home to-do 待完成的整改通知 opens the list with todo=rectify: the same rows as its count
        ("todo", "待办", [("rectify", "待完成整改")]),
    ]

    def filter_by(self, qs, param, value):
        if param == "todo":
            return qs.awaiting_rectification()
        return super().filter_by(qs, param, value)

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.GET.get("recheck") == "due":  # 到期回头看 (home-page to-do)
            qs = qs.recheck_due(timezone.localdate())
        return qs


def _rect(request, pk: int) -> Rectification:
    return get_visible_or_404(Rectification, request.user, "supervision.view_rectification", pk=pk)


@login_required
def rectification_detail(request, pk: int):
    rect = _rect(request, pk)
    case = rect.case
    status = 200
    if request.method == "POST":
        form = RectificationActionForm(request.POST, request.FILES)
        if form.is_valid():
            action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
            try:
                if action == "reply":
                    services.reply(
                        rect, comment=comment, attachments=form.cleaned_data["files"], acting_user=request.user
                    )
                    messages.success(request, "整改结果已报送，等待督学核查")
                elif action in ("verify", "reject"):
                    services.verify(rect, passed=action == "verify", comment=comment, acting_user=request.user)
                    messages.success(
                        request, "已核查通过，整改销号" if action == "verify" else "核查未通过，已退回整改"
                    )
                elif action in ("held", "rebound"):
                    services.recheck(rect, held=action == "held", note=comment, acting_user=request.user)
                    messages.success(request, "回头看已记录")
                elif action == "publish":
                    services.publish(rect, summary=form.cleaned_data["summary"], acting_user=request.user)
                    messages.success(request, "整改结果已公开")
                else:
                    services.set_major(rect, action == "major", acting_user=request.user)
                    messages.success(request, "已更新挂牌督导")
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("supervision:rectification", pk=rect.pk)
        messages.error(request, "；".join(form.error_lines()))
        status = 400
        rect = _rect(request, pk)
        case = rect.case
    from mofang.platform.cases.services import available_transitions

    actions = {t.code for t in available_transitions(case, request.user)}
    return render(
        request,
        "supervision/rectification.html",
        {
            "page_title": f"整改通知 {case.number}",
            "rect": rect,
            "case": case,
            "case_page": reverse("cases:detail", args=[case.pk]),
            "can_reply": bool(actions & {"start", "reply"}),
            "can_verify": "verify" in actions,
            "can_recheck": not case.is_open and has_perm_at(request.user, "supervision.verify", rect.school),
            "can_publish": case.state == "closed" and has_perm_at(request.user, "supervision.publish", rect.school),
            "can_major": has_perm_at(request.user, "supervision.issue_notice", rect.school),
            "order_no": services.supervision_order_number(rect),
        },
        status=status,
    )


def _pdf_response(request, make, filename: str):
    try:
        data = make()
    except pdf.FontMissing as exc:
        return render(
            request, "supervision/message.html", {"page_title": "无法生成PDF", "message": str(exc)}, status=503
        )
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
    return resp


@login_required
def notice_pdf(request, pk: int):
    rect = _rect(request, pk)
    return _pdf_response(request, lambda: pdf.notice_pdf(rect), f"{rect.case.number}.pdf")


@login_required
def order_pdf(request, pk: int):
    rect = _rect(request, pk)
    if rect.case.supervised_at is None:
        raise Http404("该整改通知尚未督办")
    number = services.supervision_order_number(rect)
    return _pdf_response(
        request, lambda: pdf.order_pdf(rect, number, services.supervision_reason(rect)), f"{number}.pdf"
    )


def public(request):
    """督导整改公示: closed, published rectifications — school, item, dates and the published summary."""
    rows = list(services.published_rectifications()[:200])
    return render(request, "supervision/public.html", {"page_title": "教育督导整改公示", "rows": rows})


# --- 督查清单 and 督学名册 (supervision.configure, the county's 督导室) -------------------------------

CONFIGURE = "supervision.configure"


def _configure_counties(request) -> list[OrgUnit]:
    if not has_perm(request.user, CONFIGURE):
        raise Http404("页面不存在或您没有权限")
    counties = list(
        OrgUnit.objects.visible_to(request.user, CONFIGURE).filter(kind=OrgKind.COUNTY).order_by("path")[:200]
    )
    if not counties:
        raise Http404("您的数据范围内没有区县")
    return counties


def _pick_county(counties, wanted) -> OrgUnit:
    """The county asked for (404 outside the user's scope) or the first one."""
    if not wanted:
        return counties[0]
    found = next((c for c in counties if str(c.pk) == str(wanted)), None)
    if found is None:
        raise Http404("对象不存在或不在您的数据范围内")
    return found


@login_required
def checklist_list(request):
    """The county's own lists (editable) and the shared lists (read-only, 复制为本县清单)."""
    counties = _configure_counties(request)
    own = list(
        Checklist.objects.visible_to(request.user, CONFIGURE)
        .select_related("county")
        .annotate(n_items=Count("items"))
        .order_by("county__path", "-active", "name")
    )
    shared = list(config.shared_checklists().annotate(n_items=Count("items")))
    used = config.used_counts(own + shared)
    for c in own + shared:
        c.n_used = used.get(c.pk, 0)
    return render(
        request,
        "supervision/checklists.html",
        {"page_title": "督查清单", "own": own, "shared": shared, "counties": counties},
    )


@login_required
def checklist_new(request):
    counties = _configure_counties(request)
    form = ChecklistForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        valid = form.is_valid()  # the county is checked (404 outside the scope) even when a field is refused
        county = _pick_county(counties, form.cleaned_data.get("county") or request.GET.get("county"))
    if form.is_bound and valid:
        try:
            cl = config.create_checklist(
                county, name=form.cleaned_data["name"], source=form.cleaned_data["source"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "督查清单已创建，请添加条目")
            return redirect("supervision:checklist", pk=cl.pk)
    return render(
        request,
        "supervision/checklist_new.html",
        {
            "page_title": "新建督查清单",
            "counties": counties,
            "errors": form.error_lines() if form.is_bound else [],
            "posted": form.data,
        },
        status=400 if form.errors else 200,
    )


@login_required
def checklist_detail(request, pk: int):
    """A county list: rename, items (add / edit / remove / move) while unused, retire, copy."""
    cl = get_visible_or_404(Checklist, request.user, CONFIGURE, pk=pk)
    form = ChecklistChangeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        d, u = form.cleaned_data, request.user
        action = d["action"]
        try:
            if action == "rename":
                config.update_checklist(cl, name=d["name"], source=d["source"], acting_user=u)
            elif action == "add":
                config.add_item(cl, d["text"], acting_user=u)
            elif action == "edit":
                config.edit_item(cl, d["item"], d["text"], acting_user=u)
            elif action == "remove":
                config.remove_item(cl, d["item"], acting_user=u)
            elif action in ("up", "down"):
                config.move_item(cl, d["item"], action, acting_user=u)
            else:
                config.set_active(cl, action == "restore", acting_user=u)
        except ValidationError as exc:
            form.add_service_errors(exc)
            cl = get_visible_or_404(Checklist, request.user, CONFIGURE, pk=pk)
        else:
            messages.success(request, "已保存")
            return redirect("supervision:checklist", pk=cl.pk)
    used = config.is_used(cl)
    return render(
        request,
        "supervision/checklist_detail.html",
        {
            "page_title": f"督查清单：{cl.name}",
            "cl": cl,
            "items": services.checklist_items(cl),
            "used": used,
            "errors": form.error_lines() if form.is_bound else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def checklist_copy(request, pk: int):
    """复制为新清单: a county list (visible) or a shared one, into the chosen county."""
    counties = _configure_counties(request)
    source = (
        Checklist.objects.visible_to(request.user, CONFIGURE).filter(pk=pk).first()
        or config.shared_checklists().filter(pk=pk).first()
    )
    if source is None:
        raise Http404("对象不存在或不在您的数据范围内")
    form = CopyForm(request.POST)
    if form.is_valid():
        county = source.county if source.county_id else _pick_county(counties, form.cleaned_data["county"])
        try:
            cl = config.copy_checklist(source, county, acting_user=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
    if form.errors:
        return render(
            request,
            "supervision/message.html",
            {
                "page_title": "复制督查清单",
                "message": "；".join(form.error_lines()),
                "back": reverse("supervision:checklist_list"),
            },
            status=400,
        )
    messages.success(request, "已复制为新清单，可以修改条目")
    return redirect("supervision:checklist", pk=cl.pk)


@login_required
def inspector_roster(request):
    """督学名册 of a county: full/part-time, login, 责任区 schools; 登记督学 (POST)."""
    counties = _configure_counties(request)
    form = InspectorForm(request.POST if request.method == "POST" else None)
    valid = form.is_valid()  # unbound: False, and the county comes from the address
    county = _pick_county(
        counties, (form.cleaned_data.get("county") if form.is_bound else None) or request.GET.get("county")
    )
    if valid:
        try:
            ins = config.register_inspector(
                county,
                username=form.cleaned_data["username"],
                name=form.cleaned_data["name"],
                full_time=form.cleaned_data["full_time"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"已登记督学{ins.name}")
            return redirect(f"{reverse('supervision:inspectors')}?county={county.pk}")
    inspectors = list(
        config.roster(Inspector.objects.visible_to(request.user, CONFIGURE).filter(county=county)).order_by(
            "-active", "-full_time", "name", "id"
        )
    )
    return render(
        request,
        "supervision/inspectors.html",
        {
            "page_title": "督学名册",
            "counties": counties,
            "selected": county,
            "inspectors": inspectors,
            "candidates": list(config.candidates(county)[:200]),
            "errors": form.error_lines() if form.is_bound else [],
            "posted": form.data,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def inspector_change(request, pk: int):
    ins = get_visible_or_404(Inspector, request.user, CONFIGURE, pk=pk)
    back = f"{reverse('supervision:inspectors')}?county={ins.county_id}"
    form = InspectorChangeForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action in ("full_time", "part_time"):
                config.set_full_time(ins, action == "full_time", acting_user=request.user)
                messages.success(request, f"{ins.name}已改为{'专职' if ins.full_time else '兼职'}")
            else:
                n = config.deactivate(ins, acting_user=request.user)
                messages.success(request, f"已停用督学{ins.name}，释放责任区学校{n}所")
        except ValidationError as exc:
            form.add_service_errors(exc)
    if form.errors:
        return render(
            request,
            "supervision/message.html",
            {"page_title": "督学名册", "message": "；".join(form.error_lines()), "back": back},
            status=400,
        )
    return redirect(back)
