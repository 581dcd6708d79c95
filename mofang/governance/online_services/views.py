"""一网通办 pages: parents apply and follow on the phone (mine, apply); schools and bureaus handle on
the desk (desk → the engine's case page, where 受理/审核/同意/退回 are the case's transitions); the
catalogue; the certificate PDF; the public verification page (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case, CaseAttachment, CaseEvent
from mofang.platform.people.models import Student
from mofang.platform.web.lists import Col, ScopedListView

from . import bundles, pdf, selectors, services
from .models import Application, BundleApplication, BundleStep, Certificate, Service, Workflow
from .roles import APPLY, HANDLE, MANAGE_CATALOGUE, VIEW

PHONE_HINT = "请在手机上办理"


@login_required
def index(request):
    if has_perm(request.user, HANDLE):
        return redirect("online_services:desk")
    if has_perm(request.user, APPLY):
        return redirect("online_services:mine")
    raise Http404("页面不存在或您没有权限")


def _children(user):
    return Student.objects.visible_to(user, "people.view_student").filter(guardianships__guardian__user=user).distinct()


@login_required
def mine(request):
    """The parent's applications, status and result first (phone), then the services to apply for."""
    if not has_perm(request.user, APPLY) and not has_perm(request.user, VIEW):
        raise Http404("页面不存在或您没有权限")
    apps = (
        Application.objects.visible_to(request.user, VIEW)
        .filter(applicant=request.user)
        .select_related("service", "student", "case", "target_school")
        .order_by("-created_at", "-pk")[:50]
    )
    bundle_apps = list(
        BundleApplication.objects.visible_to(request.user, VIEW)
        .filter(applicant=request.user)
        .select_related("bundle", "student", "target_school")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "online_services/mine.html",
        {
            "page_title": "一网通办",
            "applications": apps,
            "bundle_apps": _with_steps(request.user, bundle_apps),
            "bundles": selectors.active_bundles(),
            "services": selectors.active_services(),
            "children": list(_children(request.user).select_related("school")),
        },
    )


def _with_steps(user, bundle_apps: list) -> list:
    """[(bundle application, overall status, [(step, its status, its application or None)])] in
    three queries: the steps, and their applications read through the scope layer."""
    steps = list(
        BundleStep.objects.visible_to(user, VIEW)
        .filter(bundle_application__in=bundle_apps)
        .select_related("service")
        .order_by("position")
    )
    apps = {
        a.pk: a
        for a in Application.objects.visible_to(user, VIEW)
        .filter(pk__in=[s.application_id for s in steps if s.application_id])
        .select_related("case", "case__responsible_org")
    }
    out = []
    for ba in bundle_apps:
        mine = [s for s in steps if s.bundle_application_id == ba.pk]
        rows = [(s, bundles.step_label(s, apps), apps.get(s.application_id)) for s in mine]
        out.append((ba, bundles.overall(mine, apps), rows))
    return out


def _timeline(app):
    return (
        CaseEvent.objects.visible_to(app.applicant, VIEW)
        .filter(case=app.case)
        .exclude(kind__in=("claim", "remind"))
        .order_by("at", "pk")
    )


@login_required
def mine_detail(request, pk: int):
    app = get_visible_or_404(Application, request.user, VIEW, pk=pk)
    case = Case.objects.visible_to(request.user, VIEW).filter(pk=app.case_id).first()
    cert = Certificate.objects.visible_to(request.user, VIEW).filter(application=app).first()
    events = []
    if case is not None:
        events = list(
            CaseEvent.objects.visible_to(request.user, VIEW)
            .filter(case=case, kind__in=("open", "transition", "comment"))
            .select_related("actor", "org")
            .order_by("at", "pk")
        )
    return render(
        request,
        "online_services/mine_detail.html",
        {
            "page_title": app.service.name,
            "app": app,
            "case": case,
            "cert": cert,
            "events": events,
            "overdue": case is not None and case.is_overdue(timezone.now()),
        },
    )


def _apply_page(request, *, is_transfer: bool, submit, context: dict):
    """The phone's apply page, for a service or a bundle: the child, (a transfer) the school searched
    and picked, the form's fields and the materials; `submit(student, target)` applies and returns
    where to go. A refusal is shown naming the field (400, or 403), nothing written."""
    children = list(_children(request.user).select_related("school"))
    q = (request.GET.get("school_q") or request.POST.get("school_q") or "").strip()[:30]
    schools = selectors.schools_matching(q) if is_transfer and q else []
    errors, status = {}, 200
    if request.method == "POST":
        student = next((c for c in children if str(c.pk) == request.POST.get("student")), None)
        target = selectors.school_by_pk(request.POST.get("target_school")) if is_transfer else None
        try:
            if student is None:
                raise ValidationError({"student": gettext("学生：请选择孩子")})
            return submit(student, target)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            status = 400
        except PermissionDenied as exc:
            errors, status = {"__all__": [str(exc)]}, 403
    return render(
        request,
        "online_services/apply.html",
        {
            **context,
            "children": children,
            "schools": schools,
            "school_q": q,
            "errors": [f"{m}" for ms in errors.values() for m in ms],
            "data": request.POST if request.method == "POST" else {},
            "is_transfer": is_transfer,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_view(request, code: str):
    service = selectors.active_service(code)
    if service is None:
        raise Http404("该事项不存在或暂未开通网上办理")
    if not has_perm(request.user, APPLY):
        raise Http404("页面不存在或您没有权限")

    def submit(student, target):
        app = services.apply(
            service, student, acting_user=request.user, answers=request.POST, files=request.FILES, target_school=target
        )
        messages.success(request, f"申请已提交，编号 {app.case.number}，请留意办理进度。")
        return redirect("online_services:mine_detail", app.pk)

    return _apply_page(
        request,
        is_transfer=service.workflow == Workflow.TRANSFER,
        submit=submit,
        context={
            "page_title": f"申请：{service.name}",
            "intro": f"{service.description}（法定时限：{service.time_limit_days}个工作日）",
            "fields": services.parse_form(service.form_spec),
            "materials": [(services.material_key(i), m) for i, m in enumerate(service.materials or [])],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bundle_apply(request, code: str):
    """一件事 on the phone: one form (every member service's fields, asked once), one set of materials,
    what the platform already holds shown filled in; then each step is its own application."""
    bundle = selectors.active_bundle(code)
    if bundle is None:
        raise Http404("该一件事不存在或暂未开通网上办理")
    if not has_perm(request.user, APPLY):
        raise Http404("页面不存在或您没有权限")
    try:
        found = bundles.catalogue_services(bundle)
    except ValidationError:
        raise Http404("该一件事暂不能办理") from None

    def submit(student, target):
        ba = bundles.apply_bundle(
            bundle, student, acting_user=request.user, answers=request.POST, files=request.FILES, target_school=target
        )
        messages.success(request, f"已提交{bundle.name}，编号 {ba.number}，各事项将依次办理。")
        return redirect("online_services:bundle_detail", ba.pk)

    children = _children(request.user).select_related("school")
    return _apply_page(
        request,
        is_transfer=bundles.needs_target(found),
        submit=submit,
        context={
            "page_title": f"申请：{bundle.name}",
            "intro": bundle.description,
            "steps": [(found[s["service"]], found.get(s.get("after") or "")) for s in bundle.steps],
            "held": [(c, bundles.held_facts(bundle, c, request.user)) for c in children] if bundle.held else [],
            "fields": bundles.form_fields(bundle, found),
            "materials": [(services.material_key(i), m) for i, m in enumerate(bundles.form_materials(bundle, found))],
            "bundle": bundle,
        },
    )


@login_required
def bundle_detail(request, pk: int):
    """One bundle application: its one status and each step's (unit, state, link to the step)."""
    ba = get_visible_or_404(BundleApplication, request.user, VIEW, pk=pk)
    ((_, status, rows),) = _with_steps(request.user, [ba])
    return render(
        request,
        "online_services/bundle_detail.html",
        {
            "page_title": ba.bundle.name,
            "ba": ba,
            "status": status,
            "rows": rows,
            "is_applicant": ba.applicant_id == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_detail(request, pk: int):
    """One application on the handler's desk: the child, the answers, the materials, the progress,
    and the steps this user may take now (the case's transitions, fired through the engine). The
    sending school keeps seeing the application after the case has moved on to the bureaus."""
    app = get_visible_or_404(Application, request.user, VIEW, pk=pk)
    case = app.case
    status, error = 200, ""
    if request.method == "POST":
        code = (request.POST.get("transition") or "")[:30]
        try:
            cases.fire(case, code, acting_user=request.user, comment=request.POST.get("comment", "")[:2000])
        except ValidationError as exc:
            status, error = 400, "；".join(exc.messages)
        except PermissionDenied as exc:
            status, error = 400, str(exc) or gettext("您没有办理该申请的权限")
        else:
            case.refresh_from_db()
            messages.success(request, f"{case.number}：{case.state_label}（当前办理单位：{case.responsible_org.name}）")
            return redirect("online_services:desk_detail", app.pk)
    transitions = cases.available_transitions(case, request.user) if case.is_open else []
    ct = case.type
    return render(
        request,
        "online_services/desk_detail.html",
        {
            "page_title": f"{app.service.name}：{app.student.name}",
            "app": app,
            "case": case,
            "transitions": [(t, ct.irreversible(t)) for t in transitions],
            "attachments": CaseAttachment.objects.visible_to(request.user, VIEW).filter(case=case).order_by("pk"),
            "events": CaseEvent.objects.visible_to(request.user, VIEW)
            .filter(case=case, kind__in=("open", "transition", "comment"))
            .select_related("actor", "org")
            .order_by("at", "pk"),
            "error": error,
            "overdue": case.is_overdue(timezone.now()),
            "step": BundleStep.objects.visible_to(request.user, VIEW)
            .filter(application=app)
            .select_related("bundle_application__bundle")
            .first(),
        },
        status=status,
    )


def _state(a):
    return a.case.state_label


class DeskList(ScopedListView):
    """申请办理台: the applications of the user's region, with 待我单位办理 and 超期 filters."""

    model = Application
    permission = VIEW
    title = "一网通办办理"
    export_name = "一网通办申请"
    template_name = "online_services/desk.html"
    search_fields = ["student__name", "case__number", "service__name"]
    search_placeholder = "学生姓名、编号或事项"
    select_related = ["service", "student", "school", "target_school", "case", "case__responsible_org"]
    order_by = ["-created_at", "-pk"]
    filters = [("result", "办理结果", [("open", "办理中"), ("done", "已办结"), ("returned", "已退回")])]
    columns = [
        Col("编号", lambda a: a.case.number, lambda a: reverse("online_services:desk_detail", args=[a.pk])),
        Col("事项", lambda a: a.service.name),
        Col("学生", lambda a: a.student.name),
        Col("就读学校", lambda a: a.school.name),
        Col("转入学校", lambda a: a.target_school.name if a.target_school else ""),
        Col("状态", _state),
        Col("当前办理单位", lambda a: a.case.responsible_org.name),
        Col("法定期限", lambda a: timezone.localtime(a.case.due_at).strftime("%Y-%m-%d") if a.case.due_at else ""),
        Col("申请时间", lambda a: timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M")),
    ]

    def filter_by(self, qs, param, value):
        if param == "result":
            return qs.filter(result="" if value == "open" else value)
        return super().filter_by(qs, param, value)

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if self.request.GET.get("queue") == "mine":
            from .menu import handling_units

            qs = qs.filter(case__state_kind="open", case__responsible_org_id__in=handling_units(self.request.user))
        if self.request.GET.get("overdue") == "1":
            qs = qs.filter(case__state_kind="open", case__due_at__lt=timezone.now())
        return qs

    def extra_context(self):
        return {"queue": self.request.GET.get("queue", ""), "overdue": self.request.GET.get("overdue", "")}


class CatalogueList(ScopedListView):
    """The catalogue (data): every service with its rules; imported through /imports/online_services/."""

    model = Service  # read by base_queryset below: the catalogue is public data, not scoped
    permission = HANDLE
    title = "一网通办事项目录"
    export_name = "一网通办事项目录"
    template_name = "online_services/catalogue.html"
    search_fields = ["name", "code"]
    search_placeholder = "事项名称或编码"
    order_by = ["order", "code"]
    columns = [
        Col("事项编码", lambda s: format_html("<code>{}</code>", s.code)),  # typed as it is in an import
        Col("事项名称", lambda s: s.name),
        Col("办理流程", lambda s: s.get_workflow_display()),
        Col("申请人", lambda s: s.applicants_text),
        Col("办理单位", lambda s: s.get_handler_kind_display()),
        Col("申请材料", lambda s: "；".join(m.get("name", "") for m in s.materials or [])),
        Col("法定时限（工作日）", lambda s: s.time_limit_days, num=True),
        Col("网上办理", lambda s: "已开通" if s.active else "未开通"),
    ]

    def base_queryset(self):
        if not (has_perm(self.request.user, HANDLE) or has_perm(self.request.user, MANAGE_CATALOGUE)):
            raise Http404("页面不存在或您没有权限")
        return selectors.all_services()

    def extra_context(self):
        return {
            "can_import": has_perm(self.request.user, MANAGE_CATALOGUE),
            "bundles": [(b, bundles.steps_text(b.steps)) for b in selectors.all_bundles()],
        }


@login_required
def certificate_pdf(request, pk: int):
    cert = get_visible_or_404(Certificate, request.user, VIEW, pk=pk)
    try:
        body = pdf.certificate_pdf(cert, verify_url=request.build_absolute_uri(reverse("online_services:verify")))
    except pdf.FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.pk}.pdf"'
    return response


def verify_view(request):
    """Public (no login): a code shows the certificate's essentials, or says it is not valid."""
    raw = (request.GET.get("code") or "").strip()[:40]
    cert = services.verify(raw) if raw else None
    return render(
        request,
        "online_services/verify.html",
        {"page_title": "学籍证明验证", "code": raw, "cert": cert, "checked": bool(raw)},
        status=200 if cert or not raw else 404,
    )
