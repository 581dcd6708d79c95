"""报名 pages: parents register a child for primary or junior middle school (login by phone),
see their registrations with the 录取查询 status and withdraw; schools and bureaus list (and
export) the registrations of their schools; the documents of a registration are downloaded by
its parent and by the staff who may see it (audited). Views parse, check scope, call
registration.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.web.lists import Col, ScopedListView

from .. import registration as reg_services
from .. import waivers
from ..forms import RegistrationForm
from ..models import STAGES_OF_TYPE, Registration, RegistrationDocument, RegistrationStatus, Stage


def _login_url(request):
    return f"{reverse('accounts:phone')}?{urlencode({'next': request.get_full_path()})}"


def _choices(rows, label=lambda o: str(o), blank=None):
    out = [("", blank)] if blank else []
    return out + [(str(o.pk), label(o)) for o in rows]


def _stage(request, data, school_id) -> str:
    """The stage asked for (?stage=junior or the posted hidden field); coming from a junior
    middle school's page without one means 小升初."""
    asked = (data or {}).get("stage") or request.GET.get("stage")
    if not asked and school_id:
        s = reg_services.school(school_id)
        if s is not None and Stage.PRIMARY not in STAGES_OF_TYPE.get(s.school_type, (Stage.PRIMARY,)):
            return Stage.JUNIOR
    return reg_services.stage_of(asked)


def _form(request, data=None, files=None):
    school_id = request.GET.get("school") or None
    try:
        school_id = int(school_id) if school_id else None
    except ValueError:
        school_id = None
    stage = _stage(request, data, school_id)
    form = RegistrationForm(data, files, initial={"stage": stage})
    form.stage = stage
    communities = list(reg_services.communities_for(school_id, stage))
    form.fields["community"].choices = _choices(communities, lambda c: f"{c.county.name} · {c.name}", "请选择小区")
    picked = str((data or {}).get("community") or request.GET.get("community") or "")
    listed = {str(c.pk): c for c in communities}
    chosen = (
        listed.get(picked)
        or (reg_services.community(picked) if picked.isdigit() else None)
        or (communities[0] if len(communities) == 1 else None)
    )
    publics, privates = [], []
    if chosen is not None:
        publics = list(reg_services.public_schools_of(chosen, stage))
        privates = list(reg_services.private_schools_of(chosen.county, stage))
    elif school_id:
        publics = [s for s in [reg_services.school(school_id)] if s]
    form.fields["public_school"].choices = _choices(publics, lambda s: s.name, "请选择学区学校")
    form.fields["private_school"].choices = _choices(privates, lambda s: s.name, "不报民办学校")
    form.fields["sibling_school"].choices = [("", "无")] + [(str(s.pk), s.name) for s in publics + privates]
    own = Registration.objects.visible_to(request.user, "enrollment.register").filter(
        status=RegistrationStatus.SUBMITTED, year=reg_services.registration_year(), stage=stage
    )
    form.fields["bind_with"].choices = _choices(own, lambda r: f"{r.child_name}（{r.id_number_masked}）", "不绑定")
    if chosen is not None and not data:
        form.initial["community"] = str(chosen.pk)
    # what the choices were built from, so the POST does not read them again
    form.chosen_community = chosen
    form.listed_schools = {str(s.pk): s for s in publics + privates}
    return form


def _picked_school(form, pk):
    return (form.listed_schools.get(str(pk)) or reg_services.school(pk)) if pk else None


def register(request):
    """The one-stop 报名 form for the next intake (parents, after phone login)."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if not has_perm(request.user, "enrollment.register"):
        raise Http404("页面不存在或您没有权限")
    status = 200
    if request.method == "POST":
        form = _form(request, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            children = [{"name": d["child_name"], "id_number": d["id_number"]}]
            if d["twin_name"]:
                children.append({"name": d["twin_name"], "id_number": d["twin_id_number"]})
            bind_with = None
            if d["bind_with"]:
                bind_with = (
                    Registration.objects.visible_to(request.user, "enrollment.register")
                    .filter(pk=d["bind_with"])
                    .first()
                )
            try:
                created = reg_services.submit_registration(
                    owner=request.user,
                    children=children,
                    community=(
                        form.chosen_community
                        if str(getattr(form.chosen_community, "pk", "")) == str(d["community"])
                        else reg_services.community(d["community"])
                    ),
                    registration_type=d["registration_type"],
                    address=d["address"],
                    residence_proof=d["residence_proof"],
                    proof_no=d["proof_no"],
                    public_school=_picked_school(form, d["public_school"]),
                    private_school=_picked_school(form, d["private_school"]),
                    sibling_school=_picked_school(form, d["sibling_school"]),
                    sibling_student_no=d["sibling_student_no"],
                    bind_with=bind_with,
                    documents=[d["document"]] if d["document"] else [],
                    stage=form.stage,
                    acting_user=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "报名成功：" + "、".join(r.child_name for r in created))
                return redirect("enrollment:my_registrations")
        status = 400
    else:
        form = _form(request)
    grade = reg_services.GRADE_NAMES[form.stage]
    return render(
        request,
        "enrollment/register.html",
        {
            "page_title": f"{reg_services.registration_year()}年{grade}网上报名"
            + ("（小升初）" if form.stage == Stage.JUNIOR else ""),
            "form": form,
            "stage": form.stage,
            "stages": Stage.choices,
            "community_chosen": bool(form.fields["public_school"].choices[1:]),
        },
        status=status,
    )


def _my_page(request, status: int = 200, **extra):
    rows = reg_services.with_results(
        Registration.objects.visible_to(request.user, "enrollment.register")
        .select_related("public_school", "private_school", "community")
        .prefetch_related("documents")
        .order_by("-year", "-created_at")
    )
    states = [(r, reg_services.state_of(r)) for r in rows]
    items = [
        (r, state, waivers.loss_warning(state.admission) if state.can_waive and state.admission else "")
        for r, state in states
    ]
    return render(
        request,
        "enrollment/my_registrations.html",
        {"page_title": "我的报名", "items": items, "reason_max": waivers.MAX_TEXT, **extra},
        status=status,
    )


def my_registrations(request):
    """我的报名: one card per child, the result first (one displayed state, what to do next)."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    return _my_page(request)


@login_required
@require_POST
def withdraw(request, pk: int):
    """撤回报名 before the draw (the button asks for confirmation first)."""
    reg = get_visible_or_404(Registration, request.user, "enrollment.register", pk=pk)
    try:
        reg_services.withdraw_registration(reg, acting_user=request.user)
    except reg_services.WithdrawRefused as exc:
        messages.error(request, exc.messages[0])
        return redirect("enrollment:my_registrations")
    messages.success(request, f"已撤回{reg.child_name}的报名")
    return redirect("enrollment:my_registrations")


@login_required
@require_POST
def waive(request, pk: int):
    """申请放弃录取: after the draw, giving up the seat is a request the admitting school decides."""
    reg = get_visible_or_404(Registration, request.user, "enrollment.register", pk=pk)
    try:
        adm = waivers.request_waiver(reg, request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _my_page(request, status=400, waive_error=reg.pk, reason=request.POST.get("reason", "")[:200])
    messages.success(request, f"已提交放弃{waivers.school_name(adm)}录取的申请，请等待学校确认")
    return redirect("enrollment:my_registrations")


@login_required
def document(request, pk: int):
    """Download one registration document: its parent, or staff who may see the registration
    (the service audits a download by anyone but the parent)."""
    doc = get_visible_or_404(RegistrationDocument, request.user, "enrollment.view_registration", pk=pk)
    try:
        handle = reg_services.open_document(doc, acting_user=request.user)
    except reg_services.DocumentMissing:
        return render(
            request,
            "enrollment/unavailable.html",
            {"page_title": "报名材料", "message": f"文件“{doc.original_name}”已不在存储中，请联系报名家长重新提交"},
            status=404,
        )
    return FileResponse(handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type)


def _documents(r) -> list:
    return list(r.documents.all())  # prefetched; a document's scope is its registration's


class RegistrationList(ScopedListView):
    """Registrations naming the schools of the user's subtree (ID numbers masked)."""

    model = Registration
    permission = "enrollment.view_registration"
    title = "入学报名"
    export_name = "入学报名"
    search_fields = ["child_name", "public_school__name", "public_school__code"]
    search_placeholder = "儿童姓名或学校"
    select_related = ["public_school", "private_school", "community"]
    order_by = ["public_school__path", "created_at"]
    columns = [
        Col("招生年份", lambda r: r.year, num=True),
        Col("学段", lambda r: r.get_stage_display()),
        Col("儿童姓名", lambda r: r.child_name),
        Col("身份证号", lambda r: r.id_number_masked),
        Col("户籍类型", lambda r: r.get_registration_type_display()),
        Col("小区", lambda r: r.community.name),
        Col("学区公办学校", lambda r: r.public_school.name),
        Col("学校标识码", lambda r: r.public_school.code),
        Col("民办志愿", lambda r: r.private_school.name if r.private_school else ""),
        Col("多孩绑定", lambda r: "是" if r.multiple_group else ""),
        Col("长幼随学", lambda r: "是" if r.sibling_school_id else ""),
        Col("状态", lambda r: r.get_status_display()),
        # one document per registration today; the link opens the first
        Col(
            "证明材料",
            lambda r: "、".join(d.original_name for d in _documents(r)),
            lambda r: reverse("enrollment:document", args=[_documents(r)[0].pk]) if _documents(r) else None,
        ),
    ]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("documents")

    @property
    def filters(self):
        years = [(str(y), f"{y}年") for y in reg_services.intake_years()]
        return [
            ("year", "招生年份", years),
            ("status", "状态", list(RegistrationStatus.choices)),
            ("stage", "学段", list(Stage.choices)),
        ]
