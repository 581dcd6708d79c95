"""政令一键智达 pages. Views parse, check scope (visible_to / get_visible_or_404), call services."""

import uuid
from typing import NoReturn

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.imports.exports import record_export, xlsx_response
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.web.formspec import spec_text
from mofang.platform.web.lists import Col, ScopedListView

from . import reports, services
from .forms import DeliveryActionForm, DirectiveForm, ForwardForm, LockForm, TargetRuleForm
from .forms_spec import MAX_ROWS, cell_name, field_name
from .models import Delivery, Directive, DirectiveKind

DETAIL_ROWS = 300


def _refuse() -> NoReturn:
    raise Http404("页面不存在或您没有权限")


@login_required
def index(request):
    if has_perm(request.user, "directives.view"):
        return redirect("directives:sent")
    if has_perm(request.user, "directives.view_delivery"):
        return redirect(reverse("directives:deliveries") + "?mine=1")
    _refuse()


# --- the sender's side --------------------------------------------------------------------------


class SentList(ScopedListView):
    model = Directive
    permission = "directives.view"
    title = "发出的政令"
    export_name = "发出的政令"
    search_fields = ["title", "sender_org__name"]
    search_placeholder = "标题或发文单位"
    select_related = ["sender_org", "parent_delivery__directive__sender_org"]
    order_by = ["-sent_at", "-id"]
    filters = [
        ("kind", "类别", list(DirectiveKind.choices)),
        # the sender's home to-do opens the list with todo=overdue: the same directives as its count
        ("todo", "待办", [("overdue", "本单位发出、有单位逾期未办")]),
    ]
    template_name = "directives/sent_list.html"
    columns = [
        Col("标题", lambda d: d.title, lambda d: reverse("directives:detail", args=[d.pk])),
        Col("类别", lambda d: d.get_kind_display()),
        Col("发文单位", lambda d: d.sender_org.name),
        Col("转发自", lambda d: d.parent_delivery.directive.sender_org.name if d.parent_delivery_id else ""),
        Col("发送时间", lambda d: timezone.localtime(d.sent_at).strftime("%Y-%m-%d %H:%M")),
        Col("截止时间", lambda d: timezone.localtime(d.deadline).strftime("%Y-%m-%d %H:%M")),
        Col("单位数", lambda d: d.n_total, num=True),
        Col("已签收", lambda d: d.n_signed, num=True),
        Col("已办结", lambda d: d.n_done, num=True),
        Col("逾期未办", lambda d: d.n_overdue or "", num=True),
    ]

    def filter_by(self, qs, param, value):
        if param == "todo":
            return qs.overdue_sent_by_units_of(self.request.user, timezone.now())
        return super().filter_by(qs, param, value)

    def get_queryset(self):
        not_done = Q(deliveries__done_at__isnull=True)
        return (
            super()
            .get_queryset()
            .annotate(
                n_total=Count("deliveries"),
                n_signed=Count("deliveries", filter=Q(deliveries__signed_at__isnull=False)),
                n_done=Count("deliveries", filter=Q(deliveries__done_at__isnull=False)),
                n_overdue=Count("deliveries", filter=not_done & Q(deadline__lt=timezone.now())),
            )
        )

    def extra_context(self):
        return {"can_send": has_perm(self.request.user, "directives.send")}


def _ints(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][:500]


def _regions(user, sender_org) -> list:
    return list(services.scope_units(user, sender_org).filter(kind__in=[OrgKind.CITY, OrgKind.COUNTY])[:300])


def _sendable_regions(user) -> list:
    """The regions a rule may name: any the user may send to (the rule keeps to the sender's subtree)."""
    return list(
        OrgUnit.objects.visible_to(user, "directives.send")
        .filter(kind__in=[OrgKind.CITY, OrgKind.COUNTY])
        .only("pk", "name")
    )


def _rule_from(request, form, user, sender_org) -> tuple[services.TargetRule, list[str]]:
    """The cleaned rule with its picks (by code or name, and ?to=<unit>) resolved within the scope."""
    picks, errors = services.find_picks(user, sender_org, form.cleaned_data.get("picks") or [])
    # ?to=<unit> (a "send to this unit" link) adds individual picks, checked against the scope too
    wanted = _ints(request.GET.getlist("to"))
    found = list(services.scope_units(user, sender_org).filter(pk__in=wanted).values_list("pk", flat=True))
    if len(found) < len(set(wanted)):
        errors.append("发送对象：指定的单位不在您的发文范围内")
    return services.TargetRule(**form.rule_values(), picks=picks + found), errors


def _compose_context(request, form, user, orgs, sender_org, *, title, parent=None):
    def raw(name):
        return form[name].value() if form.is_bound else None

    return {
        "page_title": title,
        "sender_orgs": orgs,
        "sender_org": sender_org,
        "regions": _regions(user, sender_org),
        "target_kinds": list(services.TARGET_KINDS.items()),
        "school_types": list(SchoolType.choices),
        "ownerships": list(Ownership.choices),
        "kinds": list(DirectiveKind.choices),
        "posted": form.data,
        "parent": parent,
        "selected_regions": _ints(raw("regions") or []),
        "selected_types": raw("school_types") or [],
        "selected_own": raw("ownerships") or [],
        "submit_key": (raw("submit_key") if "submit_key" in form.fields else "") or uuid.uuid4().hex,
    }


def _preview(request, form, ctx, user, sender_org):
    if form.rule_is_valid():
        rule, errors = _rule_from(request, form, user, sender_org)
    else:
        errors = form.error_lines(TargetRuleForm.base_fields)
    targets = [] if errors else services.resolve_targets(user, sender_org, rule)
    ctx.update(preview=True, preview_errors=errors, targets=targets[:DETAIL_ROWS], target_count=len(targets))
    template = "directives/forward.html" if ctx.get("forward") else "directives/compose.html"
    if request.htmx:
        template += "#preview"
    return render(request, template, ctx, status=400 if errors else 200)


def _send_errors(request, form, user, sender_org) -> tuple[services.TargetRule | None, list]:
    """The rule and its targets when the rule's fields are good; "发送对象" refused when it reaches none."""
    if not form.rule_is_valid():
        return None, []
    rule, rule_errors = _rule_from(request, form, user, sender_org)
    for message in rule_errors:
        form.add_error(None, message)
    targets = [] if rule_errors else services.resolve_targets(user, sender_org, rule)
    if not targets and not rule_errors:
        form.add_error(None, gettext("发送对象：没有符合条件的单位"))
    return rule, targets


@login_required
def compose(request):
    """一键智达: write the notice or task, pick units by rule, preview, optionally a form, send."""
    user = request.user
    orgs = services.sender_orgs(user)
    if not orgs:
        _refuse()
    posted = request.method == "POST"
    form = DirectiveForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        sender_orgs=orgs,
        regions=_sendable_regions(user) if posted else (),
    )
    wanted = request.GET.get("sender_org") or ""
    if posted:
        form.is_valid()  # every field checked once; the sender org chosen decides the regions shown
        wanted = form.cleaned_data.get("sender_org") or wanted
    sender_org = next((o for o in orgs if str(o.pk) == str(wanted)), orgs[0])
    ctx = _compose_context(request, form, user, orgs, sender_org, title="发送政令（一键智达）")
    if not posted:
        return render(request, "directives/compose.html", ctx)
    if form.is_preview:
        return _preview(request, form, ctx, user, sender_org)
    rule, targets = _send_errors(request, form, user, sender_org)
    if not form.errors:
        d = form.cleaned_data
        try:
            directive = services.send_directive(
                sender_org=sender_org,
                title=d["title"],
                body=d["body"],
                kind=d["kind"],
                deadline=d["deadline"],
                targets=targets,
                fields=d["form_spec"],
                attachments=d["attachments"],
                forward_required=d["forward_required"],
                rule=rule.as_json(),
                submit_key=d["submit_key"],
                acting_user=user,
            )
        except ValidationError as exc:
            sent = _already_sent(user, d["submit_key"], exc)
            if sent is not None:
                return redirect("directives:detail", pk=sent.pk)
            form.add_service_errors(exc)
        else:
            messages.success(request, f"已发送至{len(targets)}个单位")
            return redirect("directives:detail", pk=directive.pk)
    ctx.update(errors=form.error_lines())
    return render(request, "directives/compose.html", ctx, status=400)


def _already_sent(user, submit_key: str, exc: ValidationError):
    """After a double submit: the directive the first submit created (within the user's scope)."""
    if not submit_key or not any(getattr(e, "code", "") == "duplicate" for e in exc.error_list):
        return None
    return Directive.objects.visible_to(user, "directives.view").filter(submit_key=submit_key[:36]).first()


def _scoped_deliveries(user):
    return Delivery.objects.visible_to(user, "directives.view_delivery")


@login_required
def detail(request, pk: int):
    """The sender's view: counts, who has signed / answered / is overdue, the forwarding chain."""
    user = request.user
    directive = get_visible_or_404(Directive, user, "directives.view", pk=pk)
    deliveries = _scoped_deliveries(user).filter(directive=directive)
    show = request.GET.get("show", "")
    now = timezone.now()
    listed = deliveries.select_related("unit", "directive").order_by("unit__path")
    if show == "unsigned":
        listed = listed.unsigned()
    elif show == "signed":
        listed = listed.filter(signed_at__isnull=False)
    elif show == "pending":
        listed = listed.not_done()
    elif show == "done":
        listed = listed.filter(done_at__isnull=False)
    elif show == "overdue":
        listed = listed.filter(Q(late=True) | Q(done_at__isnull=True, directive__deadline__lt=now))
    chain = reports.chain(_scoped_deliveries(user), directive)
    rows = [(d, chain.get(d.pk)) for d in listed[:DETAIL_ROWS]]
    parent = directive.parent_delivery
    parent_visible = parent is not None and _scoped_deliveries(user).filter(pk=parent.pk).exists()
    can_send = has_perm_at(user, "directives.send", directive.sender_org)
    return render(
        request,
        "directives/detail.html",
        {
            "page_title": directive.title,
            "d": directive,
            "counts": reports.counts(deliveries),
            "rows": rows,
            "show": show,
            "fields": list(directive.fields.all()),
            "can_send": can_send,
            "now": now,
            "attachments": list(directive.attachments.filter(delivery__isnull=True)),
            "parent": parent if parent_visible else None,
            "forwarded_units": sum(1 for v in chain.values() if v),
            "truncated": listed.count() > DETAIL_ROWS,
        },
    )


@login_required
@require_POST
def remind(request, pk: int):
    directive = get_visible_or_404(Directive, request.user, "directives.view", pk=pk)
    if not has_perm_at(request.user, "directives.send", directive.sender_org):
        _refuse()
    try:
        sent, skipped = services.remind(directive, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        text = f"已催办{sent}个未办结单位（短信与站内信）"
        if skipped:
            text += f"；{skipped}个单位一小时内已催办，本次未重复发送"
        messages.success(request, text)
    return redirect("directives:detail", pk=directive.pk)


@login_required
@require_POST
def lock(request, pk: int):
    directive = get_visible_or_404(Directive, request.user, "directives.view", pk=pk)
    if not has_perm_at(request.user, "directives.send", directive.sender_org):
        _refuse()
    form = LockForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", {"message": "；".join(form.error_lines())}, status=400)
    services.set_locked(directive, form.cleaned_data["locked"], acting_user=request.user)
    messages.success(request, "已锁定填报，各单位不能再修改" if directive.locked else "已解锁，截止前各单位可修改填报")
    return redirect("directives:detail", pk=directive.pk)


@login_required
def export(request, pk: int):
    directive = get_visible_or_404(Directive, request.user, "directives.view", pk=pk)
    deliveries = _scoped_deliveries(request.user).filter(directive=directive)
    content = reports.answers_xlsx(directive, deliveries)
    record_export(
        acting_user=request.user, obj=directive, org=directive.sender_org, summary=f"导出《{directive.title}》填报汇总"
    )
    return xlsx_response(f"{directive.title[:40]}-填报汇总-{timezone.localdate():%Y%m%d}.xlsx", content)


# --- the unit's side ----------------------------------------------------------------------------


class DeliveryList(ScopedListView):
    """Every delivery in the user's scope; ?mine=1 keeps those addressed to the user's own unit (收文);
    ?state= unsigned (待签收), todo (待办理) or pending (未办结) — the to-dos' and the cockpit's rules."""

    model = Delivery
    permission = "directives.view_delivery"
    title = "政令收文与办理"
    export_name = "政令收文"
    search_fields = ["directive__title", "unit__name"]
    search_placeholder = "标题或单位"
    select_related = ["directive", "directive__sender_org", "unit"]
    order_by = ["-directive__sent_at", "unit__path"]
    template_name = "directives/deliveries.html"
    columns = [
        Col("标题", lambda d: d.directive.title, lambda d: reverse("directives:delivery", args=[d.pk])),
        Col("类别", lambda d: d.directive.get_kind_display()),
        Col("发文单位", lambda d: d.directive.sender_org.name),
        Col("接收单位", lambda d: d.unit.name),
        Col("截止时间", lambda d: timezone.localtime(d.directive.deadline).strftime("%Y-%m-%d %H:%M")),
        Col("状态", lambda d: d.status_label),
    ]

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if self.request.GET.get("mine") == "1":
            qs = qs.to_units_of(self.request.user)
        state = self.request.GET.get("state")
        if state == "pending":
            qs = qs.not_done()
        elif state == "unsigned":
            qs = qs.unsigned()
        elif state == "todo":
            qs = qs.awaiting_action()
        return qs

    def extra_context(self):
        return {"mine": self.request.GET.get("mine") == "1", "state": self.request.GET.get("state", "")}


def _answer_rows(field, answer: dict, posted, blanks: int = 3) -> list[list[str]]:
    """Rows shown for a table field: what was posted (after a refusal) or stored, plus blanks."""
    if posted:
        rows = []
        for r in range(MAX_ROWS):
            cells = [posted.get(cell_name(field.key, r, c), "") for c in range(len(field.columns))]
            if any(cell_name(field.key, r, c) in posted for c in range(len(field.columns))):
                rows.append(cells)
        rows = [r for r in rows if any(r)]
    else:
        rows = [list(r) for r in (answer.get(field.key) or [])]
    return (rows + [[""] * len(field.columns) for _ in range(blanks)])[:MAX_ROWS]


def _form_rows(fields, answer: dict, posted, blanks: int = 3):
    out = []
    for f in fields:
        if f.ftype == "table":
            rows = _answer_rows(f, answer, posted, blanks)
            out.append(
                {
                    "f": f,
                    "rows": [
                        [(cell_name(f.key, r, c), v, f.columns[c]) for c, v in enumerate(row)]
                        for r, row in enumerate(rows)
                    ],
                }
            )
        else:
            value = posted.get(field_name(f.key)) if posted else answer.get(f.key, "")
            out.append(
                {
                    "f": f,
                    "name": field_name(f.key),
                    "value": value if isinstance(value, str) else "",
                    "file": answer.get(f.key) if f.ftype == "file" else None,
                }
            )
    return out


@login_required
def delivery_detail(request, pk: int):
    """A unit's copy: read it, 签收, 填报 (revise until the deadline unless locked), 转发."""
    user = request.user
    delivery = get_visible_or_404(Delivery, user, "directives.view_delivery", pk=pk)
    directive = delivery.directive
    status, errors, posted = 200, [], None
    if request.method == "POST":
        form = DeliveryActionForm(
            request.POST,
            request.FILES,
            fields=directive.fields.all(),
            previous=delivery.answer,
            check_file=services.check_file,
        )
        if not services.can_act(user, delivery):
            errors, status = ["只有接收单位的人员才能签收或填报"], 403
        elif form.is_valid():
            try:
                if form.cleaned_data["action"] == "sign":
                    services.sign(delivery, acting_user=user)
                    messages.success(request, "已签收")
                else:
                    services.answer(delivery, form.data, form.files, acting_user=user)
                    messages.success(request, "填报已提交")
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("directives:delivery", pk=delivery.pk)
        if status != 403:
            errors, status = form.error_lines(), 400
            # the refused answer is shown again as typed
            posted = form.data if form.data.get("action") == "answer" else None
        delivery.refresh_from_db()
    fields = list(directive.fields.all())
    can_act = services.can_act(user, delivery)
    revisable, why = services.can_revise(delivery)
    children = list(Directive.objects.visible_to(user, "directives.view").filter(parent_delivery=delivery))
    can_forward = can_act and has_perm_at(user, "directives.forward", delivery.unit)
    return render(
        request,
        "directives/delivery.html",
        {
            "page_title": directive.title,
            "delivery": delivery,
            "d": directive,
            "errors": errors,
            "can_act": can_act,
            "revisable": revisable,
            "why": why,
            "form_rows": _form_rows(fields, delivery.answer, posted, _blank_rows(request)),
            "reply": posted.get("reply", "") if posted else delivery.reply,
            "fields": fields,
            "attachments": list(directive.attachments.filter(delivery__isnull=True)),
            "children": children,
            "can_forward": can_forward,
            "answer_rows": _answer_view(fields, delivery.answer),
        },
        status=status,
    )


def _blank_rows(request) -> int:
    wanted = request.GET.get("rows", "")
    return min(int(wanted), 50) if wanted.isdigit() and int(wanted) > 3 else 3


def _answer_view(fields, answer: dict) -> list[dict]:
    out = []
    for f in fields:
        v = answer.get(f.key)
        out.append({"f": f, "value": v, "is_table": f.ftype == "table", "is_file": f.ftype == "file"})
    return out


@login_required
def forward(request, pk: int):
    """转发: a county re-sends a higher bureau's directive to its own schools."""
    user = request.user
    delivery = get_visible_or_404(Delivery, user, "directives.view_delivery", pk=pk)
    if not (services.can_act(user, delivery) and has_perm_at(user, "directives.forward", delivery.unit)):
        _refuse()
    parent = delivery.directive
    sender_org = delivery.unit
    posted = request.method == "POST"
    form = ForwardForm(request.POST if posted else None, regions=_sendable_regions(user) if posted else ())
    form.is_valid()  # unbound: nothing to check
    ctx = _compose_context(request, form, user, [sender_org], sender_org, title=f"转发：{parent.title}", parent=parent)
    ctx.update(delivery=delivery, form_spec_text=spec_text(parent.fields.all()))
    if not posted:
        return render(request, "directives/forward.html", ctx)
    if form.is_preview:
        ctx["forward"] = True
        return _preview(request, form, ctx, user, sender_org)
    rule, targets = _send_errors(request, form, user, sender_org)
    if not form.errors and rule is not None:
        d = form.cleaned_data
        try:
            child = services.forward(
                delivery,
                title=d["title"] or parent.title,
                body=d["body"] or parent.body,
                deadline=d["deadline"],
                targets=targets,
                copy_form=True in d["copy_form"],
                rule=rule.as_json(),
                submit_key=d["submit_key"],
                acting_user=user,
            )
        except ValidationError as exc:
            sent = _already_sent(user, d["submit_key"], exc)
            if sent is not None:
                return redirect("directives:detail", pk=sent.pk)
            form.add_service_errors(exc)
        else:
            messages.success(request, f"已转发至{len(targets)}个单位")
            return redirect("directives:detail", pk=child.pk)
    ctx.update(errors=form.error_lines())
    return render(request, "directives/forward.html", ctx, status=400)


@login_required
def attachment(request, pk: int):
    """A file: the directive's attachment (sender's scope or a unit it was sent to) or an answer's
    file (the answering unit or the sender's scope)."""
    user = request.user
    att = services.visible_attachment(user, pk)
    if att is None:
        _refuse()
    return FileResponse(services.open_attachment(att, acting_user=user), as_attachment=True, filename=att.name)
