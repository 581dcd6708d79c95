"""报名 pages: parents register a child for primary or junior middle school (login by phone),
see their registrations with the 录取查询 status and withdraw; schools and bureaus list (and
export) the registrations of their schools; the documents of a registration are downloaded by
its parent and by the staff who may see it (audited). Views parse, check scope, call
registration.py."""

import hashlib
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from mofang.platform import cacheversion
from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.web.lists import Col, ScopedListView

from .. import registration as reg_services
from .. import waivers
from ..forms import RegistrationForm
from ..models import Registration, RegistrationDocument, RegistrationStatus, Stage


def _login_url(request):
    return f"{reverse('accounts:phone')}?{urlencode({'next': request.get_full_path()})}"


def _choices(rows, label=lambda o: str(o), blank=None):
    out = [("", blank)] if blank else []
    return out + [(str(o.pk), label(o)) for o in rows]


def _own_registrations(request, stage, pk=None):
    """The parent's own submitted registrations of this year and stage (多孩绑定), or the one posted."""
    own = Registration.objects.visible_to(request.user, "enrollment.register").filter(
        status=RegistrationStatus.SUBMITTED, year=reg_services.registration_year(), stage=stage
    )
    return list(own.filter(pk=pk) if pk is not None else own)


def _bind_choices(form, rows):
    form.fields["bind_with"].choices = _choices(rows, lambda r: f"{r.child_name}（{r.id_number_masked}）", "不绑定")


def _form(request, data=None, files=None):
    """The 报名 form with its choices from the cached option lists (registration.school_options /
    community_options: no query when cached). On a POST the 多孩绑定 list holds only the posted
    registration, read once; the whole list is read when the form is shown (see _show)."""
    school_id = request.GET.get("school") or None
    try:
        school_id = int(school_id) if school_id else None
    except ValueError:
        school_id = None
    asked = (data or {}).get("stage") or request.GET.get("stage")
    opts = reg_services.school_options(school_id, asked)
    stage = opts.stage
    form = RegistrationForm(data, files, initial={"stage": stage})
    form.stage = stage
    communities = opts.communities
    form.fields["community"].choices = _choices(communities, lambda c: f"{c.county.name} · {c.name}", "请选择小区")
    picked = str((data or {}).get("community") or request.GET.get("community") or "")
    listed = {str(c.pk): c for c in communities}
    chosen_opts = None
    if picked in listed or picked.isdigit():
        chosen_opts = reg_services.community_options(picked, stage, listed.get(picked))
    elif len(communities) == 1:
        chosen_opts = reg_services.community_options(communities[0].pk, stage, communities[0])
    chosen = chosen_opts.community if chosen_opts is not None else None
    publics, privates = [], []
    if chosen_opts is not None:
        publics, privates = chosen_opts.publics, chosen_opts.privates
    elif opts.school is not None:
        publics = [opts.school]
    form.fields["public_school"].choices = _choices(publics, lambda s: s.name, "请选择学区学校")
    form.fields["private_school"].choices = _choices(privates, lambda s: s.name, "不报民办学校")
    form.fields["sibling_school"].choices = [("", "无")] + [(str(s.pk), s.name) for s in publics + privates]
    bind = str((data or {}).get("bind_with") or "")
    form.bind_rows = _own_registrations(request, stage, int(bind)) if bind.isdigit() else []
    _bind_choices(form, form.bind_rows)
    if chosen is not None and not data:
        form.initial["community"] = str(chosen.pk)
    # what the choices were built from, so the POST does not read them again
    form.chosen_community = chosen
    form.listed_schools = {str(s.pk): s for s in publics + privates}
    return form


def _picked_school(form, pk):
    return (form.listed_schools.get(str(pk)) or reg_services.school(pk)) if pk else None


def _rows(form) -> list[dict]:
    """The visible fields as plain values for the page template, which writes the inputs itself
    (no widget templates: the form was sixteen of them on every GET and POST)."""
    rows = []
    errors = form.errors if form.is_bound else {}
    for name, f in form.fields.items():
        if name == "stage":
            continue
        widget = f.widget
        kind = (
            "file" if isinstance(widget, forms.FileInput) else "select" if isinstance(f, forms.ChoiceField) else "text"
        )
        if kind == "file":
            value = ""
        elif form.is_bound:
            value = str(form.data.get(name) or "")
        else:
            value = str(form.initial.get(name, f.initial) or "")
        rows.append(
            {
                "name": name,
                "label": f.label,
                "kind": kind,
                "value": value,
                "choices": [(str(v), text) for v, text in f.choices] if kind == "select" else (),
                "maxlength": getattr(f, "max_length", None),
                "required": f.required,
                "help": f.help_text,
                "errors": errors.get(name, []),
            }
        )
    return rows


ROWS_TEMPLATE = "enrollment/_register_rows.html"
ROWS_SECONDS = 600


def _rows_html(form, rows: list[dict]) -> str:
    """The form's inputs as HTML. An unbound form (the GET every parent makes) is the same for
    every parent of a school and community but for the 多孩绑定 list, which is the parent's own: the
    rows before and after it are rendered once and kept in the cache, and in the process, under a
    digest of their values (a changed list or label is a new key; nothing to invalidate), the
    parent's row rendered now."""
    if form.is_bound:
        return render_to_string(ROWS_TEMPLATE, {"rows": rows})
    at = next(i for i, r in enumerate(rows) if r["name"] == "bind_with")
    head, own, tail = rows[:at], rows[at], rows[at + 1 :]
    values = json.dumps([head, tail], default=str, ensure_ascii=False, sort_keys=True)
    key = "enrollment:regrows:" + hashlib.sha256(values.encode()).hexdigest()
    # the key names its content, so this process's copy can never be stale (cacheversion.get_many)
    parts = cacheversion.get_many([key], ROWS_SECONDS).get(key)
    if parts is None:
        parts = (render_to_string(ROWS_TEMPLATE, {"rows": head}), render_to_string(ROWS_TEMPLATE, {"rows": tail}))
        cacheversion.put(key, parts, ROWS_SECONDS)
    # every part was rendered (and escaped) by the template
    return mark_safe(parts[0] + render_to_string(ROWS_TEMPLATE, {"rows": [own]}) + parts[1])


def _show(request, form, status=200):
    _bind_choices(form, _own_registrations(request, form.stage))  # the whole 多孩绑定 list, to show
    grade = reg_services.GRADE_NAMES[form.stage]
    errors = form.errors if form.is_bound else {}
    rows = _rows(form)
    return render(
        request,
        "enrollment/register.html",
        {
            "page_title": f"{reg_services.registration_year()}年{grade}网上报名"
            + ("（小升初）" if form.stage == Stage.JUNIOR else ""),
            "form": form,
            "rows": rows,
            "rows_html": _rows_html(form, rows),
            "stage_errors": errors.get("stage", []),
            "non_field_errors": errors.get("__all__", []),
            "stage": form.stage,
            "stages": Stage.choices,
            "community_chosen": bool(form.fields["public_school"].choices[1:]),
        },
        status=status,
    )


def register(request):
    """The one-stop 报名 form for the next intake (parents, after phone login)."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if not has_perm(request.user, "enrollment.register"):
        raise Http404("页面不存在或您没有权限")
    if request.method != "POST":
        return _show(request, _form(request))
    form = _form(request, request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        children = [{"name": d["child_name"], "id_number": d["id_number"]}]
        if d["twin_name"]:
            children.append({"name": d["twin_name"], "id_number": d["twin_id_number"]})
        bind_with = form.bind_rows[0] if d["bind_with"] and form.bind_rows else None
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
    return _show(request, form, status=400)


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
