"""Case pages, generic over case types: the queue lists, one case with its timeline and the actions
the user may take now, the report per responsible unit, attachment downloads.

Views parse, check scope (queries.visible_cases: the type's view permission through visible_to),
and call services; a refusal is a 400 with the service's Chinese message, out of scope a 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm
from mofang.platform.imports.exports import export_xlsx, xlsx_response
from mofang.platform.orgs import boundaries
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit
from mofang.platform.text import strip_control
from mofang.platform.web.lists import Col, ScopedListView
from mofang.platform.workdays.calendar import working_days_between

from .. import services
from ..models import Case
from ..queries import (
    moved_away,
    own_page_of,
    queue_condition,
    state_label,
    type_name,
    viewable_types,
    visible_attachments,
    visible_cases,
)
from ..registry import CASE_TYPES, STATE_KINDS, TO_EXTERNAL, TO_PARENT_UNIT
from ..reports import case_report


def _fmt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _case_type_or_404(user, code: str):
    ct = CASE_TYPES.get(code)
    if ct is None or not ct.view_permission or not has_perm(user, ct.view_permission):
        raise Http404("页面不存在或您没有权限")
    return ct


# --- lists ----------------------------------------------------------------------------------


class CaseList(ScopedListView):
    """The queue: every case the user may see (or one type's), with 逾期 and 待我单位认领 views."""

    model = Case
    template_name = "cases/list.html"
    search_fields = ["number", "title", "address"]
    search_placeholder = "编号、标题或地点"
    select_related = ["responsible_org", "claimed_by"]
    order_by = ["-opened_at", "-id"]
    columns = [
        Col("编号", lambda c: c.number, lambda c: reverse("cases:detail", args=[c.pk])),
        Col("类型", lambda c: type_name(c.case_type)),
        Col("标题", lambda c: c.title),
        Col(
            "紧急程度",
            lambda c: (
                dict(CASE_TYPES[c.case_type].severities).get(c.severity, c.severity)
                if c.case_type in CASE_TYPES
                else c.severity
            ),
        ),
        Col("状态", state_label),
        Col("责任单位", lambda c: c.responsible_org.name),
        Col("认领人", lambda c: str(c.claimed_by) if c.claimed_by_id else "待认领"),
        Col("办理期限", lambda c: _fmt(c.due_at)),
        Col("逾期", lambda c: "逾期" if c.is_overdue(timezone.now()) else ""),
        Col("上报时间", lambda c: _fmt(c.opened_at)),
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case_type = None

    @property
    def title(self):
        return self.case_type.name if self.case_type else "闭环案件"

    @property
    def export_name(self):
        return self.title

    @property
    def filters(self):
        if self.case_type is not None:
            return [("state", "状态", [(s.code, s.label) for s in self.case_type.states])]
        return [
            ("case_type", "类型", [(ct.code, ct.name) for ct in viewable_types(self.request.user)]),
            ("state_kind", "状态", list(STATE_KINDS.items())),
        ]

    def base_queryset(self):
        code = self.kwargs.get("code")
        if code:
            self.case_type = _case_type_or_404(self.request.user, code)
        return visible_cases(self.request.user, code)

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if self.request.GET.get("overdue") == "1":
            qs = qs.overdue(timezone.now())
        if self.request.GET.get("view") == "queue":
            qs = qs.filter(queue_condition(self.request.user))
        return qs

    def extra_context(self) -> dict:
        user, now = self.request.user, timezone.now()
        cards = []
        if self.case_type is None:
            for ct in viewable_types(user):
                mine = visible_cases(user, ct.code).open()
                cards.append(
                    {
                        "type": ct,
                        "open": mine.count(),
                        "overdue": mine.overdue(now).count(),
                        "url": reverse("cases:type_list", args=[ct.code]),
                        "report": reverse("cases:report", args=[ct.code]),
                    }
                )
        return {
            "cards": cards,
            # cases that left the user's units (escalated, re-routed): only that they moved, where, when
            "moved": moved_away(user, self.case_type.code if self.case_type else None),
            "case_type": self.case_type,
            "overdue": self.request.GET.get("overdue", ""),
            "view": self.request.GET.get("view", ""),
        }


# --- one case -------------------------------------------------------------------------------


class MovedAway(Http404):
    """The case left the user's units (escalated, re-routed): they see where it went, not the case."""

    def __init__(self, line: dict):
        super().__init__("案件已转办")
        self.line = line


def _get_case(user, pk: int) -> Case:
    case = (
        visible_cases(user)
        .select_related("reporting_org", "responsible_org", "claimed_by", "reporter")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        line = next(iter(moved_away(user, pk=pk)), None)
        if line is not None:
            raise MovedAway(line)
        raise Http404("案件不存在或不在您的数据范围内")
    return case


def _actions(case: Case, user) -> dict:
    ct = case.type
    open_ = case.is_open
    may_escalate = open_ and services.holds(user, case.responsible_org, permission=ct.escalate_permission)
    parent = services.parent_unit(case.responsible_org) if may_escalate else None
    return {
        "transitions": services.available_transitions(case, user),
        "may_claim": open_ and case.claimed_by_id is None and services.may_claim(case, user),
        "may_comment": services.may_see(case, user),
        "may_escalate": parent is not None,
        "parent_name": parent.name if parent is not None else "",
        "may_handoff": may_escalate,
        "irreversible": {t.code for t in ct.transitions if ct.irreversible(t)},
        "may_set_due": services.may_set_due_date(case, user),
    }


def _remaining(case: Case, now) -> str:
    """剩余N个工作日 / 今日到期 / 已超期, on the responsible unit's calendar."""
    if not case.is_open or case.due_at is None:
        return ""
    if case.is_overdue(now):
        return "已超期"
    left = working_days_between(timezone.localdate(now), timezone.localtime(case.due_at).date(), case.responsible_org)
    return f"剩余{left}个工作日" if left > 0 else "今日到期"


def _render(request, case: Case, *, status: int = 200, error: str = "", notice: str = ""):
    ct, now = case.type, timezone.now()
    events = list(case.events.select_related(None).order_by("at", "id"))
    attachments: dict = {a.pk: a for a in case.attachments.all()}
    timeline = [
        {
            "e": e,
            "from": ct.state_label(e.from_state) if e.from_state else "",
            "to": ct.state_label(e.to_state) if e.to_state else "",
            "attachment": attachments.get((e.data or {}).get("attachment")),
        }
        for e in events
    ]
    ctx = {
        "page_title": f"{ct.name} {case.number}",
        "case": case,
        "ct": ct,
        "timeline": timeline,
        "attachments": attachments.values(),
        "overdue": case.is_overdue(now),
        "state_label": case.state_label,
        "category": dict(ct.categories).get(case.category, case.category),
        "severity": dict(ct.severities).get(case.severity, case.severity),
        "kind_label": STATE_KINDS.get(case.state_kind, ""),
        "handoffs": list(case.handoffs.all()),
        "error": error,
        "notice": notice,
        "due": _fmt(case.due_at),
        "remaining": _remaining(case, now),
        **_actions(case, request.user),
        # the location on its county's shipped outline (ECharts from /static/vendor/, no online tiles)
        "point": {
            "lon": float(case.lon),
            "lat": float(case.lat),
            "name": case.address or case.title,
            "county": boundaries.county_at(case.lon, case.lat),
        }
        if case.lon is not None and case.lat is not None
        else None,
    }
    return render(request, "cases/detail.html", ctx, status=status)


def _act(request, case: Case) -> str:
    """Run the POSTed action through the services; return the Chinese notice (ValidationError on refusal)."""
    action, user = request.POST.get("action", ""), request.user
    comment = (request.POST.get("comment") or "")[:5000]
    if action == "claim":
        services.claim(case, acting_user=user)
        return "已认领，请及时办理"
    if action == "fire":
        code = request.POST.get("transition", "")
        t = next((t for t in case.type.transitions if t.code == code), None)
        services.fire(case, code, acting_user=user, comment=comment)
        return f"已执行「{t.label if t else code}」，案件现为「{case.state_label}」"
    if action == "comment":
        services.comment(case, comment, acting_user=user)
        return "意见已发表"
    if action == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": gettext("请选择要上传的附件")})
        services.attach(case, upload, acting_user=user)
        return f"附件「{upload.name}」已上传"
    if action in ("escalate", "handoff"):
        # each hand-over has its own reason field; nothing is written without it
        reason = strip_control(request.POST.get("reason") or "").strip()[:2000]
        label = "上报理由" if action == "escalate" else "转四平台理由"
        if not reason:
            raise ValidationError({"reason": gettext("请填写{label}").format(label=label)})
        if action == "escalate":
            services.escalate(case, acting_user=user, to=TO_PARENT_UNIT, reason=reason)
            return f"已上报{case.responsible_org.name}"
        services.escalate(case, acting_user=user, to=TO_EXTERNAL, reason=reason)
        return "已转四平台，发送结果见时间线"
    if action == "due":
        raw = (request.POST.get("due_on") or "").strip()
        due_on = None
        if raw:
            try:
                due_on = dt.date.fromisoformat(raw) if len(raw) == 10 else None
            except ValueError:
                due_on = None
            if due_on is None:
                raise ValidationError({"due_on": gettext("案件期限不是有效的日期（格式：2026-10-09）")})
        services.set_due_date(case, due_on, acting_user=user, reason=comment)
        return f"案件期限已设为{due_on:%Y-%m-%d}" if due_on else "已取消案件期限，按各环节时限办理"
    raise ValidationError({"action": gettext("未知的操作")})


@login_required
def case_detail(request, pk: int):
    """One case: its fields, the timeline, and a button per action the user may take now. A unit
    the case moved away from (a message it got still links here) sees where it went and who holds it.
    A case its module reads only on its own pages (CaseType.own_page) is opened there."""
    own = own_page_of(request.user, pk)
    if own:
        return redirect(own)
    try:
        case = _get_case(request.user, pk)
    except MovedAway as moved:
        if request.method == "POST":
            raise Http404("案件已转办，您单位不能再办理") from None
        return render(request, "cases/moved.html", {"page_title": f"案件{moved.line['number']}已转办", "m": moved.line})
    if request.method != "POST":
        return _render(request, case)
    try:
        notice = _act(request, case)
    except ValidationError as exc:
        return _render(request, _get_case(request.user, pk), status=400, error="；".join(exc.messages))
    if request.htmx:
        try:
            return _render(request, _get_case(request.user, pk), notice=notice)
        except MovedAway:  # sent up: the whole page becomes the line saying where it went
            messages.success(request, notice)
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("cases:detail", args=[pk])})
    messages.success(request, notice)
    return redirect("cases:detail", pk=pk)


@login_required
def attachment_download(request, pk: int):
    """An attachment, through the scope of its case (out of scope: 404, like a missing file)."""
    att = visible_attachments(request.user).filter(pk=pk).first()
    if att is None:
        raise Http404("附件不存在或不在您的数据范围内")
    try:
        fh = att.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在") from None
    return FileResponse(fh, as_attachment=True, filename=att.original_name, content_type=att.content_type)


# --- report ---------------------------------------------------------------------------------


def _hours(value) -> str:
    return "" if value is None else f"{value.total_seconds() / 3600:.1f}"


def _parse_date(raw: str, label: str):
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(gettext("{label}不是有效的日期（格式：2026-01-31）").format(label=label)) from None


@login_required
def case_report_page(request, code: str):
    """One type's report per responsible unit for a period and a region the user may see; xlsx export."""
    ct = _case_type_or_404(request.user, code)
    today = timezone.localdate()
    regions = list(
        OrgUnit.objects.visible_to(request.user, ct.view_permission)
        .filter(kind__in=REGION_KINDS)
        .order_by("path")[:500]
    )
    error, rows = "", []
    start_raw = request.GET.get("start") or (today - dt.timedelta(days=30)).isoformat()
    end_raw = request.GET.get("end") or today.isoformat()
    region = None
    try:
        start, end = _parse_date(start_raw, "开始日期"), _parse_date(end_raw, "结束日期")
        if end < start:
            raise ValidationError(gettext("结束日期不能早于开始日期"))
        if request.GET.get("region"):
            region = next((r for r in regions if str(r.pk) == request.GET["region"]), None)
            if region is None:
                raise ValidationError(gettext("地区不存在或不在您的数据范围内"))
        tz = timezone.get_current_timezone()
        rows = case_report(
            request.user,
            code,
            region=region,
            start=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )
    except ValidationError as exc:
        error = "；".join(exc.messages)
    headers = [
        "责任单位",
        "创建数",
        "办理中",
        "逾期",
        "已办结",
        "按期办结",
        "按期办结率",
        "认领用时中位数（小时）",
        "办结用时中位数（小时）",
        "重新打开次数",
    ]
    table = [
        [
            r.unit.name,
            r.opened,
            r.open,
            r.overdue,
            r.closed,
            r.closed_on_time,
            "" if r.on_time_rate is None else f"{r.on_time_rate:.1%}",
            _hours(r.median_claim),
            _hours(r.median_close),
            r.reopened,
        ]
        for r in rows
    ]
    if request.GET.get("export") == "xlsx" and not error:
        content = export_xlsx(
            acting_user=request.user,
            sheet_title=f"{ct.name}统计",
            headers=headers,
            rows=table,
            summary=f"导出{ct.name}统计（{start_raw}至{end_raw}）",
            org=region,
        )
        return xlsx_response(f"{ct.name}统计-{start_raw}至{end_raw}.xlsx", content)
    params = request.GET.copy()
    params.pop("export", None)
    return render(
        request,
        "cases/report.html",
        {
            "page_title": f"{ct.name}统计",
            "ct": ct,
            "headers": headers,
            "table": table,
            "regions": regions,
            "region": region,
            "start": start_raw,
            "end": end_raw,
            "error": error,
            "querystring": params.urlencode(),
        },
        status=400 if error else 200,
    )
