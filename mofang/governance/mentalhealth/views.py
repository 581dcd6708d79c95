"""心理健康护航 pages. Views parse, check scope (visible_to / get_visible_or_404), call services.

Individual records are read through the `@assigned` scope and every opening writes an audit row
(services.record_read). The answering pages need no account: a one-time code opens one questionnaire.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mofang.platform.accounts.ratelimit import Limit, Rate, RateLimited, client_ip
from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.cases.models import Case
from mofang.platform.cases.services import available_transitions
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Student
from mofang.platform.privacy import suppress_row
from mofang.platform.web.lists import Col, ScopedListView

from . import scales, services
from .models import CallerKind, Campaign, CareAssignment, CareRole, CrisisAlert, HotlineCall, Screening
from .roles import AGGREGATE, ASSIGN, HOTLINE, MANAGE, VIEW_RECORD
from .scales import RISK_ORDER, Risk
from .selectors import crisis_case_for


def _messages_of(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages


@login_required
def index(request):
    for perm, name in ((VIEW_RECORD, "alerts"), (MANAGE, "campaigns"), (AGGREGATE, "summary")):
        if has_perm(request.user, perm):
            return redirect(f"mentalhealth:{name}")
    raise Http404("页面不存在或您没有权限")


# --- answering (no account: a one-time code) ------------------------------------------------------


# Guessing codes (31⁸ of them) is slowed by the platform's one limiter: only look-ups that found
# nothing count, per real address; a school's whole class answering from one network stays far below.
CODE_MISSES = Limit(
    "mentalhealth.code.address", (Rate(20, 3600, "作答码错误次数过多：同一网络1小时内最多输错20次，请稍后再试"),)
)


def _screening_or_refusal(request, code: str):
    """(screening, "") for a valid code; (None, message, status) when the code is wrong or this
    address has guessed too often (then even a right code waits: nothing tells a guesser it was right)."""
    address = client_ip(request)
    try:
        CODE_MISSES.check(address)
    except RateLimited as exc:
        return None, exc.messages[0], exc.status
    s = services.screening_by_code(code)
    if s is None:
        CODE_MISSES.hit(address)
        return None, "作答码无效，请核对学校发放的作答码", 400
    return s, "", 200


def answer_start(request):
    error, status = "", 200
    if request.method == "POST":
        s, error, status = _screening_or_refusal(request, request.POST.get("code", ""))
        if s is not None:
            return redirect("mentalhealth:answer", code=s.code)
    return render(
        request, "mentalhealth/answer_start.html", {"page_title": "心理健康筛查", "error": error}, status=status
    )


def answer(request, code: str):
    s, error, status = _screening_or_refusal(request, code)
    if s is None:
        if status == 400:
            raise Http404("作答码无效")
        return render(
            request, "mentalhealth/answer_start.html", {"page_title": "心理健康筛查", "error": error}, status=status
        )
    parent = s.campaign.answerer == "parent"
    errors: list[str] = []
    chosen = {}
    if request.method == "POST" and s.submitted_at is None:
        phq = [request.POST.get(f"phq9_{i}") for i in range(1, len(scales.PHQ9) + 1)]
        gad = [request.POST.get(f"gad7_{i}") for i in range(1, len(scales.GAD7) + 1)]
        chosen = {k: v for k, v in request.POST.items() if k.startswith(("phq9_", "gad7_"))}
        try:
            s = services.submit_answers(s.code, phq, gad)
        except ValidationError as exc:
            errors = _messages_of(exc)
        else:
            return render(
                request, "mentalhealth/answer_done.html", {"page_title": "提交成功", "crisis": s.risk == Risk.CRISIS}
            )
    if s.submitted_at is not None and not errors:
        return render(request, "mentalhealth/answer_done.html", {"page_title": "已提交", "already": True})
    who = "您的孩子" if parent else "你"
    ctx = {
        "page_title": "心理健康筛查",
        "s": s,
        "parent": parent,
        "intro": f"在过去的两周里，{who}生活中以下症状出现的频率有多少？",
        "options": scales.OPTIONS,
        "phq9": [(f"phq9_{i}", i, text, chosen.get(f"phq9_{i}", "")) for i, text in enumerate(scales.PHQ9, 1)],
        "gad7": [(f"gad7_{i}", i, text, chosen.get(f"gad7_{i}", "")) for i, text in enumerate(scales.GAD7, 1)],
        "errors": errors,
    }
    return render(request, "mentalhealth/answer.html", ctx, status=400 if errors else 200)


# --- campaigns (组织筛查: codes and completion, never answers) -------------------------------------


class CampaignList(ScopedListView):
    model = Campaign
    permission = MANAGE
    title = "心理筛查"
    template_name = "mentalhealth/campaign_list.html"
    search_fields = ["title", "school__name", "term"]
    search_placeholder = "名称、学校或学期"
    select_related = ["school"]
    order_by = ["-opens_on", "pk"]
    columns = [
        Col("名称", lambda c: c.title, lambda c: reverse("mentalhealth:campaign", args=[c.pk])),
        Col("学校", lambda c: c.school.name),
        Col("学期", lambda c: c.term),
        Col("作答方式", lambda c: c.get_answerer_display()),
        Col("应答人数", lambda c: c.n_total, num=True),
        Col("已完成", lambda c: c.n_done, num=True),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                n_total=Count("screenings"),
                n_done=Count("screenings", filter=Q(screenings__submitted_at__isnull=False)),
            )
        )


def _schools_for(user, perm):
    return OrgUnit.objects.visible_to(user, perm).filter(kind=OrgKind.SCHOOL).order_by("path")


@login_required
def campaign_new(request):
    if not has_perm(request.user, MANAGE):
        raise Http404("页面不存在或您没有权限")
    schools = list(_schools_for(request.user, MANAGE)[:200])
    errors, values = [], {}
    if request.method == "POST":
        values = request.POST
        wanted = request.POST.get("school") or request.GET.get("school")
        school = next((s for s in schools if str(s.pk) == wanted), None)
        try:
            if school is None:
                raise ValidationError({"school": ["请选择学校"]})
            opens, closes = (
                _date(request.POST.get(f), label) for f, label in (("opens_on", "开始日期"), ("closes_on", "截止日期"))
            )
            c = services.create_campaign(
                school,
                term=request.POST.get("term", ""),
                title=request.POST.get("title", ""),
                opens_on=opens,
                closes_on=closes,
                acting_user=request.user,
            )
        except ValidationError as exc:
            errors = _messages_of(exc)
        else:
            messages.success(request, f"已新建心理筛查「{c.title}」，请发放作答码")
            return redirect("mentalhealth:campaign", pk=c.pk)
    ctx = {"page_title": "新建心理筛查", "schools": schools, "errors": errors, "v": values}
    return render(request, "mentalhealth/campaign_new.html", ctx, status=400 if errors else 200)


def _date(value, label):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationError({label: [f"{label}格式应为 2026-09-01"]}) from None


@login_required
def campaign_detail(request, pk: int):
    c = get_visible_or_404(Campaign, request.user, MANAGE, pk=pk)
    codes = c.screenings.select_related("student", "student__klass").order_by("student__klass__path", "student__name")
    done = sum(1 for s in codes if s.submitted_at)
    ctx = {"page_title": c.title, "c": c, "codes": codes, "done": done}
    return render(request, "mentalhealth/campaign_detail.html", ctx)


# --- assignments (护航分配) --------------------------------------------------------------------------


class AssignmentList(ScopedListView):
    model = CareAssignment
    permission = ASSIGN
    title = "护航分配"
    template_name = "mentalhealth/assignment_list.html"
    search_fields = ["student__name", "student__student_no", "user__full_name", "user__username"]
    search_placeholder = "学生姓名、学籍号或责任人"
    select_related = ["student", "student__school", "student__klass", "user"]
    order_by = ["student__school__path", "student__name", "pk"]
    columns = [
        Col("学生", lambda a: a.student.name),
        Col("学校", lambda a: a.student.school.name),
        Col("班级", lambda a: a.student.klass.name if a.student.klass else "—"),
        Col("责任人", lambda a: a.user.full_name or a.user.username),
        Col("身份", lambda a: a.get_role_display()),
    ]

    def post(self, request, *args, **kwargs):
        self.base_queryset()  # 404 without the permission
        # the form names the student by 学籍号; a student's own 分配 link carries its id instead
        students = Student.objects.visible_to(request.user, "people.view_student").select_related("school", "klass")
        pk = request.GET.get("student", "")
        if pk.isdigit() and len(pk) < 19:
            student = students.filter(pk=int(pk)).first()
        else:
            student = students.filter(student_no=(request.POST.get("student_no") or "").strip()[:30]).first()
        try:
            if student is None:
                raise ValidationError({"student_no": ["学籍号不存在或不在您的数据范围内"]})
            a = services.assign_by_username(
                student, request.POST.get("username", ""), request.POST.get("role", ""), acting_user=request.user
            )
        except ValidationError as exc:
            for m in _messages_of(exc):
                messages.error(request, m)
            response = self.get(request, *args, **kwargs)
            response.status_code = 400
            return response
        messages.success(request, f"已把{student.name}分配给{a.user}")
        return redirect("mentalhealth:assignments")

    def extra_context(self):
        return {"roles": CareRole.choices}


@login_required
@require_POST
def unassign(request, pk: int):
    a = get_visible_or_404(CareAssignment, request.user, ASSIGN, pk=pk)
    try:
        services.unassign(a, acting_user=request.user)
    except ValidationError as exc:
        for m in _messages_of(exc):
            messages.error(request, m)
    else:
        messages.success(request, "已取消该护航分配")
    return redirect("mentalhealth:assignments")


# --- individual records: only @assigned, each opening audited ---------------------------------------


class MyStudents(ScopedListView):
    """The submitted screenings of the students assigned to the user (risk first)."""

    model = Screening
    permission = VIEW_RECORD
    title = "我负责的学生"
    template_name = "mentalhealth/my_students.html"
    search_fields = ["student__name"]
    search_placeholder = "学生姓名"
    select_related = ["student", "student__klass", "campaign"]
    order_by = ["-campaign__opens_on", "student__name", "pk"]
    filters = [("risk", "风险等级", list(Risk.choices))]
    columns = [
        Col("学生", lambda s: s.student.name, lambda s: reverse("mentalhealth:screening", args=[s.pk])),
        Col("班级", lambda s: s.student.klass.name if s.student.klass else "—"),
        Col("筛查", lambda s: s.campaign.title),
        Col("风险等级", lambda s: s.get_risk_display()),
    ]

    def get_queryset(self):
        return super().get_queryset().filter(submitted_at__isnull=False)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if has_perm(request.user, VIEW_RECORD):
            services.record_list_read(acting_user=request.user, what=self.title)
        return response


@login_required
def screening_detail(request, pk: int):
    s = get_visible_or_404(Screening, request.user, VIEW_RECORD, pk=pk, submitted_at__isnull=False)
    services.record_read(s, acting_user=request.user, what="心理筛查答卷")
    rows = [("PHQ-9", i, text, a) for i, (text, a) in enumerate(zip(scales.PHQ9, s.phq9, strict=True), 1)]
    rows += [("GAD-7", i, text, a) for i, (text, a) in enumerate(zip(scales.GAD7, s.gad7, strict=True), 1)]
    ctx = {
        "page_title": f"筛查答卷：{s.student.name}",
        "s": s,
        "rows": rows,
        "labels": dict(scales.OPTIONS),
        "phq9_band": scales.band(s.phq9_total, scales.PHQ9_BANDS),
        "gad7_band": scales.band(s.gad7_total, scales.GAD7_BANDS),
        "alert": CrisisAlert.objects.visible_to(request.user, VIEW_RECORD).filter(screening=s).first(),
    }
    return render(request, "mentalhealth/screening_detail.html", ctx)


class AlertList(ScopedListView):
    model = CrisisAlert
    permission = VIEW_RECORD
    title = "危机预警"
    template_name = "mentalhealth/alert_list.html"
    select_related = ["student", "student__klass", "case"]
    order_by = ["acknowledged_at", "-raised_at", "pk"]
    filters = [("open", "状态", [("1", "待确认")])]
    columns = [
        Col("学生", lambda a: a.student.name, lambda a: reverse("mentalhealth:alert", args=[a.pk])),
        Col("班级", lambda a: a.student.klass.name if a.student.klass else "—"),
        Col("预警时间", lambda a: a.raised_at),
        Col("确认时限", lambda a: a.due_at),
        Col("状态", lambda a: "已确认" if a.acknowledged_at else "待确认"),
        Col("个案", lambda a: a.case.state_label if a.case else "—"),
    ]

    def filter_by(self, qs, param, value):
        return qs.filter(acknowledged_at__isnull=True)


@login_required
def alert_detail(request, pk: int):
    alert = get_visible_or_404(CrisisAlert, request.user, VIEW_RECORD, pk=pk)
    if request.method == "POST":
        try:
            services.acknowledge(alert, acting_user=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            for m in _messages_of(exc):
                messages.error(request, m)
        else:
            messages.success(request, "已确认预警，个案进入「咨询」")
        return redirect("mentalhealth:alert", pk=alert.pk)
    services.record_read(alert, acting_user=request.user, what="心理危机预警")
    events = list(alert.case.events.order_by("at", "pk")) if alert.case else []
    ctx = {"page_title": f"危机预警：{alert.student.name}", "alert": alert, "events": events}
    return render(request, "mentalhealth/alert_detail.html", ctx)


# --- aggregates (校长、教育局): suppressed counts only -----------------------------------------------


LEVELS = {"campaign": "按筛查", "school": "按学校", "county": "按区县", "city": "按市"}
_PATH_LEN = {"county": 12, "city": 8}  # materialised path: 4 characters a level (省 → 市 → 区县 → 学校)


@login_required
def summary(request):
    """Counts by risk level and completion, per campaign, school, county or city; every risk count
    goes through the small-count suppression (primary and complementary) — no individual row."""
    if not has_perm(request.user, AGGREGATE):
        raise Http404("页面不存在或您没有权限")
    by = request.GET.get("by") if request.GET.get("by") in LEVELS else "campaign"
    done = Q(screenings__submitted_at__isnull=False)
    qs = (
        Campaign.objects.visible_to(request.user, AGGREGATE)
        .select_related("school")
        .annotate(
            n_total=Count("screenings"),
            n_done=Count("screenings", filter=done),
            **{f"n_{r}": Count("screenings", filter=done & Q(screenings__risk=r)) for r in RISK_ORDER},
        )
        .order_by("-opens_on", "school__path", "pk")
    )
    groups: dict[str, dict] = {}
    for c in qs[:2000]:
        if by == "campaign":
            key, label, sub = f"c{c.pk}", c.school.name, c.title
        elif by == "school":
            key, label, sub = c.school.path, c.school.name, ""
        else:
            key, label, sub = c.school.path[: _PATH_LEN[by]], "", ""
        g = groups.setdefault(
            key,
            {
                "key": key,
                "label": label,
                "sub": sub,
                "campaign": c.pk,
                "n": 0,
                "done": 0,
                "counts": [0] * len(RISK_ORDER),
                "campaigns": 0,
            },
        )
        g["n"] += c.n_total
        g["done"] += c.n_done
        g["campaigns"] += 1
        g["counts"] = [a + getattr(c, f"n_{r}") for a, r in zip(g["counts"], RISK_ORDER, strict=True)]
    if by in _PATH_LEN and groups:
        names = dict(
            OrgUnit.objects.visible_to(request.user, AGGREGATE)
            .filter(path__in=list(groups))
            .values_list("path", "name")
        )
        for g in groups.values():
            g["label"] = names.get(g["key"], "（上级单位）")
    rows = []
    totals = [0] * len(RISK_ORDER)
    for g in groups.values():
        totals = [a + b for a, b in zip(totals, g["counts"], strict=True)]
        rows.append(g | {"risk": suppress_row(g["counts"])})
    ctx = {
        "page_title": "心理筛查汇总",
        "rows": rows,
        "by": by,
        "levels": LEVELS.items(),
        "risk_labels": [r.label for r in RISK_ORDER],
        "total": suppress_row(totals) if rows else None,
    }
    return render(request, "mentalhealth/summary.html", ctx)


# --- the crisis case (the loop, 教医联动) -----------------------------------------------------------------


def _case_or_404(user, pk: int) -> Case:
    case = crisis_case_for(user, pk)
    if case is None:
        raise Http404("对象不存在或不在您的数据范围内")
    return case


@login_required
def case_detail(request, pk: int):
    case = _case_or_404(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "refer":
                services.refer_to_hospital(
                    case,
                    hospital=request.POST.get("hospital", ""),
                    department=request.POST.get("department", ""),
                    acting_user=request.user,
                )
            elif action == "outcome":
                ref = next((r for r in services.referrals_of(case) if str(r.pk) == request.POST.get("referral")), None)
                if ref is None:
                    raise ValidationError({"referral": ["转介记录不存在"]})
                on = _date(request.POST.get("outcome_on"), "结果日期")
                services.record_referral_outcome(
                    ref, outcome=request.POST.get("outcome", ""), outcome_on=on, acting_user=request.user
                )
            else:
                services.step(case, action, acting_user=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            errors = _messages_of(exc)
        else:
            messages.success(request, "已办理")
            return redirect("mentalhealth:case", pk=case.pk)
    services.record_read(case, acting_user=request.user, what="心理危机个案")
    ctx = {
        "page_title": f"心理危机个案 {case.number}",
        "case": case,
        "student": services.student_of(case),
        "events": case.events.order_by("at", "pk").select_related("actor"),
        "transitions": [t for t in available_transitions(case, request.user) if t.code != "treat"],
        "can_refer": any(t.code == "treat" for t in available_transitions(case, request.user)) or case.state == "treat",
        "referrals": services.referrals_of(case),
        "errors": errors,
    }
    return render(request, "mentalhealth/case_detail.html", ctx, status=400 if errors else 200)


# --- 心理热线 ---------------------------------------------------------------------------------------------


class HotlineList(ScopedListView):
    model = HotlineCall
    permission = HOTLINE
    title = "心理热线记录"
    template_name = "mentalhealth/hotline_list.html"
    search_fields = ["summary", "caller_name"]
    search_placeholder = "通话摘要或来电人"
    select_related = ["org", "case"]
    order_by = ["-called_at", "pk"]
    filters = [("risk", "风险等级", list(Risk.choices))]
    columns = [
        Col("来电时间", lambda c: c.called_at, lambda c: reverse("mentalhealth:hotline_call", args=[c.pk])),
        Col("来电人", lambda c: c.get_caller_kind_display()),
        Col("通话摘要", lambda c: c.summary[:40]),
        Col("风险等级", lambda c: c.get_risk_display()),
        Col("个案", lambda c: c.case.number if c.case else "—"),
    ]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if has_perm(request.user, HOTLINE):
            services.record_list_read(acting_user=request.user, what=self.title)
        return response


@login_required
def hotline_new(request):
    if not has_perm(request.user, HOTLINE):
        raise Http404("页面不存在或您没有权限")
    counties = list(
        OrgUnit.objects.visible_to(request.user, HOTLINE).filter(kind=OrgKind.COUNTY).order_by("path")[:200]
    )
    errors, v = [], {}
    if request.method == "POST":
        v = request.POST
        org = next((c for c in counties if str(c.pk) == (request.POST.get("org") or request.GET.get("org"))), None)
        try:
            if org is None:
                raise ValidationError({"org": ["请选择热线所属区县"]})
            call = services.record_hotline_call(
                org,
                called_at=_datetime(request.POST.get("called_at")),
                caller_kind=request.POST.get("caller_kind", ""),
                caller_name=request.POST.get("caller_name", ""),
                summary=request.POST.get("summary", ""),
                risk=request.POST.get("risk", ""),
                student_no=request.POST.get("student_no", ""),
                case_number=request.POST.get("case_number", ""),
                open_new_case=request.POST.get("open_case") == "1",
                acting_user=request.user,
            )
        except ValidationError as exc:
            errors = _messages_of(exc)
        else:
            messages.success(request, "已登记来电" + (f"，个案 {call.case.number}" if call.case else ""))
            return redirect("mentalhealth:hotline_call", pk=call.pk)
    ctx = {
        "page_title": "登记心理热线来电",
        "counties": counties,
        "callers": CallerKind.choices,
        "risks": Risk.choices,
        "errors": errors,
        "v": v,
    }
    return render(request, "mentalhealth/hotline_new.html", ctx, status=400 if errors else 200)


def _datetime(value):
    from django.utils import timezone

    try:
        parsed = dt.datetime.fromisoformat((value or "").strip().replace(" ", "T"))
    except ValueError:
        raise ValidationError({"called_at": ["来电时间格式应为 2026-09-01 14:30"]}) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
def hotline_call(request, pk: int):
    call = (
        HotlineCall.objects.visible_to(request.user, HOTLINE).filter(pk=pk).select_related("case", "student").first()
        or HotlineCall.objects.visible_to(request.user, VIEW_RECORD)
        .filter(pk=pk)
        .select_related("case", "student")
        .first()
    )
    if call is None:
        raise Http404("对象不存在或不在您的数据范围内")
    services.record_read(call, acting_user=request.user, what="心理热线记录")
    return render(request, "mentalhealth/hotline_call.html", {"page_title": "心理热线记录", "call": call})
