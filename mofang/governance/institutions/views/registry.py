"""The registry: list (search, filters, count, export), detail, create/edit, status, sites,
teachers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import credit, services
from ..forms import ChargeForm, FeeAccountForm, InspectionForm, InstitutionForm, SiteForm, StatusForm, TeacherForm
from ..models import (
    Application,
    Category,
    Charge,
    FeeAccount,
    Inspection,
    Institution,
    ListEntry,
    Site,
    Status,
    Teacher,
)
from ..roles import INSPECT, MANAGE, MANAGE_FEES, SUBMIT_APPLICATION, VIEW, VIEW_APPLICATION, VIEW_FEES
from . import case_url, errors_into, form_errors


def detail_url(inst) -> str:
    return reverse("institutions:detail", args=[inst.pk])


class InstitutionList(ScopedListView):
    """Institutions registered in the user's regions."""

    model = Institution
    permission = VIEW
    title = "校外培训机构"
    template_name = "institutions/list.html"
    search_fields = ["name", "credit_code", "licence_no", "address"]
    search_placeholder = "名称、信用代码、许可证号或地址"
    select_related = ["region", "approving_department"]
    order_by = ["region__path", "name", "pk"]
    filters = [("category", "类别", list(Category.choices)), ("status", "状态", list(Status.choices))]
    columns = [
        Col("机构名称", lambda i: i.name, detail_url),
        Col("统一社会信用代码", lambda i: i.credit_code),
        Col("类别", lambda i: i.get_category_display()),
        Col("属地", lambda i: i.region.name),
        Col("审批部门", lambda i: i.approving_department.name if i.approving_department else ""),
        Col("办学许可证号", lambda i: i.licence_no),
        Col("状态", lambda i: i.get_status_display()),
        Col("信用等级", credit.label),
        Col("地址", lambda i: i.address),
    ]

    def base_queryset(self):
        return credit.with_credit(super().base_queryset())

    def extra_context(self):
        return {"can_manage": has_perm(self.request.user, MANAGE)}


def _counties(user, perm=MANAGE):
    return list(OrgUnit.objects.visible_to(user, perm).filter(kind=OrgKind.COUNTY).order_by("path"))


def _may(user, perm, inst) -> bool:
    return has_perm_at(user, perm, inst.region)


@login_required
def detail(request, pk):
    inst = get_visible_or_404(Institution, request.user, VIEW, pk=pk)
    return _render_detail(request, inst)


def _render_detail(request, inst, *, error: str = "", status: int = 200, forms: dict | None = None):
    user = request.user
    rated = credit.with_credit(Institution.objects.visible_to(user, VIEW)).filter(pk=inst.pk).first()
    can_manage = _may(user, MANAGE, inst)
    forms = forms or {}
    ctx = {
        "page_title": inst.name,
        "inst": inst,
        "error": error,
        "can_manage": can_manage,
        "can_apply": _may(user, SUBMIT_APPLICATION, inst) and inst.status == Status.PREPARING,
        "can_inspect": _may(user, INSPECT, inst),
        "can_fees": _may(user, MANAGE_FEES, inst),
        "sites": Site.objects.visible_to(user, VIEW).filter(institution=inst),
        "teachers": Teacher.objects.visible_to(user, VIEW).filter(institution=inst),
        "entries": ListEntry.objects.visible_to(user, VIEW).filter(institution=inst).select_related("region"),
        "inspections": Inspection.objects.visible_to(user, VIEW)
        .filter(institution=inst)
        .select_related("rectification"),
        "applications": Application.objects.visible_to(user, VIEW_APPLICATION)
        .filter(institution=inst)
        .select_related("case", "department")
        if has_perm(user, VIEW_APPLICATION)
        else [],
        "show_fees": has_perm(user, VIEW_FEES),
        "account": FeeAccount.objects.visible_to(user, VIEW_FEES).filter(institution=inst).first(),
        "charges": Charge.objects.visible_to(user, VIEW_FEES).filter(institution=inst)[:50],
        "status_form": forms.get("status") or StatusForm(),
        "site_form": forms.get("site") or SiteForm(),
        "teacher_form": forms.get("teacher") or TeacherForm(),
        "account_form": forms.get("account") or FeeAccountForm(),
        "charge_form": forms.get("charge") or ChargeForm(),
        "limit": services.limit_for(inst.region),
        "case_url": case_url,
        "credit": credit.label(rated) if rated else "—",
        "credit_reasons": credit.rating(rated)[3] if rated else [],
    }
    return render(request, "institutions/detail.html", ctx, status=status)


def _form_page(request, form, title, cancel, status=200):
    return render(request, "web/form.html", {"page_title": title, "form": form, "cancel_url": cancel}, status=status)


@login_required
def edit(request, pk=None):
    """登记 (pk None) or 修改 an institution."""
    inst = get_visible_or_404(Institution, request.user, MANAGE, pk=pk) if pk else None
    if inst is None and not has_perm(request.user, MANAGE):
        raise Http404("页面不存在或您没有权限")
    counties = _counties(request.user)
    title = f"修改：{inst.name}" if inst else "登记校外培训机构"
    cancel = detail_url(inst) if inst else reverse("institutions:list")
    if request.method != "POST":
        initial = {f: getattr(inst, f) for f in InstitutionForm.base_fields if f != "region"} if inst else {}
        if inst:
            initial["region"] = inst.region_id
        elif counties:
            initial["region"] = counties[0].pk
        return _form_page(request, InstitutionForm(initial=initial, counties=counties), title, cancel)
    data = request.POST.copy()
    for name in ("region", "credit_code"):  # a link may preselect them (the county, the code kept)
        if not data.get(name) and request.GET.get(name):
            data[name] = request.GET[name]
    form = InstitutionForm(data, counties=counties)
    if form.is_valid():
        d = form.cleaned_data
        region = next(c for c in counties if c.pk == d.pop("region"))
        try:
            saved = services.save_institution(acting_user=request.user, instance=inst, region=region, **d)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, f"已保存：{saved.name}")
            return redirect(detail_url(saved))
    return _form_page(request, form, title, cancel, status=400)


def _post_action(request, pk, perm, form_cls, key, call, success):
    """A POST from the detail page: parse, call the service, redirect; on refusal the detail page
    again with the message (HTTP 400)."""
    inst = get_visible_or_404(Institution, request.user, perm, pk=pk)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            call(inst, form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, success)
            return redirect(detail_url(inst))
    return _render_detail(request, inst, error=form_errors(form), status=400, forms={key: form})


@login_required
@require_POST
def change_status(request, pk):
    return _post_action(
        request,
        pk,
        MANAGE,
        StatusForm,
        "status",
        lambda inst, d: services.change_status(inst, d["status"], acting_user=request.user, reason=d["reason"]),
        "状态已变更",
    )


@login_required
@require_POST
def add_site(request, pk):
    return _post_action(
        request,
        pk,
        MANAGE,
        SiteForm,
        "site",
        lambda inst, d: services.add_site(inst, acting_user=request.user, **d),
        "已新增办学场所",
    )


@login_required
@require_POST
def add_teacher(request, pk):
    return _post_action(
        request,
        pk,
        MANAGE,
        TeacherForm,
        "teacher",
        lambda inst, d: services.add_teacher(inst, acting_user=request.user, **d),
        "已新增教师",
    )


@login_required
@require_POST
def remove_site(request, pk, site_pk):
    site = get_visible_or_404(Site, request.user, MANAGE, pk=site_pk, institution_id=pk)
    services.remove_site(site, acting_user=request.user)
    messages.success(request, "已删除办学场所")
    return redirect("institutions:detail", pk)


@login_required
@require_POST
def remove_teacher(request, pk, teacher_pk):
    teacher = get_visible_or_404(Teacher, request.user, MANAGE, pk=teacher_pk, institution_id=pk)
    services.remove_teacher(teacher, acting_user=request.user)
    messages.success(request, "已删除教师")
    return redirect("institutions:detail", pk)


@login_required
@require_POST
def save_account(request, pk):
    return _post_action(
        request,
        pk,
        MANAGE_FEES,
        FeeAccountForm,
        "account",
        lambda inst, d: services.save_fee_account(inst, acting_user=request.user, **d),
        "监管账户已保存",
    )


@login_required
@require_POST
def add_charge(request, pk):
    return _post_action(
        request,
        pk,
        MANAGE_FEES,
        ChargeForm,
        "charge",
        lambda inst, d: services.record_charge(inst, acting_user=request.user, **d),
        "收费已登记",
    )


@login_required
@require_POST
def apply(request, pk):
    """提交办学审批 with documents (PDF/JPG/PNG): a case routed by category."""
    inst = get_visible_or_404(Institution, request.user, SUBMIT_APPLICATION, pk=pk)
    try:
        app = services.submit_application(
            inst,
            acting_user=request.user,
            note=request.POST.get("note", ""),
            documents=request.FILES.getlist("documents")[:10],
        )
    except ValidationError as exc:
        return _render_detail(request, inst, error="；".join(exc.messages), status=400)
    messages.success(request, f"已提交，编号{app.case.number}，由{app.department.name}审批")
    return redirect("institutions:application", app.pk)


@login_required
def inspect(request, pk):
    """登记检查或暗访; a finding may open a rectification case."""
    inst = get_visible_or_404(Institution, request.user, INSPECT, pk=pk)
    title, cancel = f"登记检查：{inst.name}", detail_url(inst)
    if request.method != "POST":
        return _form_page(request, InspectionForm(initial={"kind": "inspection"}), title, cancel)
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            services.record_inspection(inst, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, "检查已登记" + ("，已责令整改" if form.cleaned_data["rectify"] else ""))
            return redirect(cancel)
    return _form_page(request, form, title, cancel, status=400)
