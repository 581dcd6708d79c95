"""Approvals, corrections, the auditor's lists, statements and the published balance lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm_at
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import CorrectionForm, DecisionForm, apply_errors
from ..models import (
    AfterSchoolDuty,
    EntryKind,
    LeaveRequest,
    LeaveStatus,
    LedgerEntry,
    MonthlyStatement,
    Publication,
    SubstitutionRecord,
)
from ..models.statements import hours_text
from .common import forbidden


def _h(value) -> float:
    return float(value)


# --- leave approvals ------------------------------------------------------------------------------


@login_required
def approvals(request, status: int = 200):
    pending = (
        LeaveRequest.objects.visible_to(request.user, "timebank.approve_leave")
        .pending()
        .select_related("account__staff", "account__bank__school")
        .order_by("requested_at")
    )
    return render(request, "timebank/approvals.html", {"page_title": "抵假审批", "pending": pending}, status=status)


def _decide(request, pk, action):
    leave = get_visible_or_404(LeaveRequest, request.user, "timebank.view_leave", pk=pk)
    form = DecisionForm(request.POST)
    note = form.data.get("note", "")
    error = ""
    try:
        if action == "approve":
            services.approve_leave(leave, acting_user=request.user, note=note)
        else:
            services.reject_leave(leave, acting_user=request.user, note=note)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationError as exc:
        error = "；".join(exc.messages)
    leave.refresh_from_db()
    if request.htmx:
        return render(
            request, "timebank/approvals.html#leave-row", {"leave": leave, "error": error}, status=400 if error else 200
        )
    if error:  # a refused decision is a 400 page naming the problem, not a redirect
        messages.error(request, error)
        return approvals(request, status=400)
    messages.success(request, f"已{'批准' if action == 'approve' else '驳回'}{leave.account.staff.name}的抵假申请")
    return redirect("timebank:approvals")


@login_required
@require_POST
def approve_leave(request, pk):
    return _decide(request, pk, "approve")


@login_required
@require_POST
def reject_leave(request, pk):
    return _decide(request, pk, "reject")


class LeaveList(ScopedListView):
    model = LeaveRequest
    permission = "timebank.view_leave"
    title = "抵假申请"
    search_fields = ["account__staff__name", "reason"]
    search_placeholder = "姓名或事由"
    select_related = ["account__staff", "account__bank__school"]
    order_by = ["-requested_at", "-id"]
    filters = [("status", "状态", list(LeaveStatus.choices))]
    columns = [
        Col("学校", lambda x: x.account.bank.school.name),
        Col("教师", lambda x: x.account.staff.name, lambda x: reverse("timebank:account_detail", args=[x.account_id])),
        Col("类型", lambda x: x.get_kind_display()),
        Col("请假日期", lambda x: x.date),
        Col("小时", lambda x: _h(x.hours), num=True),
        Col("事由", lambda x: x.reason),
        Col("状态", lambda x: x.get_status_display()),
        Col("审批意见", lambda x: x.decision_note),
    ]


# --- corrections (银行专管处) ------------------------------------------------------------------------


@login_required
def correct_entry(request, pk):
    entry = get_visible_or_404(LedgerEntry, request.user, "timebank.view_account", pk=pk)
    account = entry.account
    if not has_perm_at(request.user, "timebank.post_correction", account.bank.school):
        return forbidden(request, PermissionDenied("只有银行专管处可以冲正"))
    form = CorrectionForm(request.POST or None)
    ctx = {"page_title": "冲正分录", "entry": entry, "account": account, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_correction(entry, reason=form.cleaned_data["reason"], acting_user=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            else:
                messages.success(request, f"已冲正第{entry.pk}号分录")
                return redirect("timebank:account_detail", account.pk)
        return render(request, "timebank/correction.html", ctx, status=400)
    return render(request, "timebank/correction.html", ctx)


class EntryList(ScopedListView):
    """The ledger across accounts, for the 银行专管处's special audits (专项审核)."""

    model = LedgerEntry
    permission = "timebank.view_account"
    title = "时间账户分录"
    search_fields = ["account__staff__name", "account__staff__staff_no", "reason"]
    search_placeholder = "姓名、工号或说明"
    select_related = ["account__staff", "account__bank__school", "substitution__absent", "duty", "leave", "reverses"]
    order_by = ["-posted_at", "-id"]
    filters = [("kind", "类型", list(EntryKind.choices))]
    columns = [
        Col("编号", lambda e: e.pk, num=True),
        Col("学校", lambda e: e.account.bank.school.name),
        Col("教师", lambda e: e.account.staff.name, lambda e: reverse("timebank:account_detail", args=[e.account_id])),
        Col("发生日期", lambda e: e.occurred_on),
        Col("类型", lambda e: e.get_kind_display()),
        Col("小时", lambda e: _h(e.amount), num=True),
        Col("来源", lambda e: e.describe_cause()),
        Col("记账时间", lambda e: timezone.localtime(e.posted_at).strftime("%Y-%m-%d %H:%M")),
    ]


class _RecordList(ScopedListView):
    permission = "timebank.view_record"
    search_fields = ["account__staff__name", "account__staff__staff_no", "record_no"]
    search_placeholder = "姓名、工号或记录编号"
    select_related = ["account__staff", "bank__school"]
    order_by = ["-date", "-id"]
    columns = [
        Col("记录编号", lambda r: r.record_no),
        Col("学校", lambda r: r.bank.school.name),
        Col("教师", lambda r: r.account.staff.name, lambda r: reverse("timebank:account_detail", args=[r.account_id])),
        Col("日期", lambda r: r.date),
        Col("课时数", lambda r: r.periods, num=True),
        Col("折算小时", lambda r: _h(r.hours), num=True),
        Col("备注", lambda r: r.note),
    ]


class SubstitutionList(_RecordList):
    model = SubstitutionRecord
    title = "代课记录"
    select_related = [*_RecordList.select_related, "absent"]
    columns = [
        *_RecordList.columns[:3],
        Col("被代课教师", lambda r: r.absent.name if r.absent else ""),
        *_RecordList.columns[3:],
    ]


class DutyList(_RecordList):
    model = AfterSchoolDuty
    title = "课后托管记录"


# --- statements and publications ---------------------------------------------------------------------


class StatementList(ScopedListView):
    model = MonthlyStatement
    permission = "timebank.view_statement"
    title = "月度对账单"
    search_fields = ["account__staff__name", "month"]
    search_placeholder = "姓名或月份（2026-10）"
    select_related = ["account__staff", "account__bank__school"]
    order_by = ["-month", "account__bank__school__path", "account__staff__staff_no"]
    columns = [
        Col("月份", lambda s: s.month_label, lambda s: reverse("timebank:statement_detail", args=[s.pk])),
        Col("学校", lambda s: s.account.bank.school.name),
        Col("教师", lambda s: s.account.staff.name),
        Col("代课获得", lambda s: _h(s.earned_substitution), num=True),
        Col("托管获得", lambda s: _h(s.earned_afterschool), num=True),
        Col("使用", lambda s: _h(s.spent), num=True),
        Col("冲正调整", lambda s: _h(s.corrections), num=True),
        Col("结余", lambda s: _h(s.closing_balance), num=True),
    ]
    # the home figure 我的月度对账单 opens the list with mine=1: the same rows as its count
    filters = [("mine", "范围", [("1", "只看我的")])]

    def filter_by(self, qs, param, value):
        if param == "mine":
            return qs.of_user(self.request.user)
        return super().filter_by(qs, param, value)


class PublicationList(ScopedListView):
    model = Publication
    permission = "timebank.view_publication"
    title = "时间余额公示"
    select_related = ["bank__school"]
    order_by = ["-month", "bank__school__path"]
    search_fields = ["bank__school__name", "month"]
    columns = [
        Col("月份", lambda p: p.month, lambda p: reverse("timebank:publication_detail", args=[p.pk])),
        Col("学校", lambda p: p.bank.school.name),
        Col("学校标识码", lambda p: p.bank.school.code),
        Col("公示时间", lambda p: timezone.localtime(p.published_at).strftime("%Y-%m-%d %H:%M")),
    ]


@login_required
def publication_detail(request, pk):
    """The school's published balance list: every teacher's month, visible to its teachers."""
    publication = get_visible_or_404(Publication, request.user, "timebank.view_publication", pk=pk)
    rows = list(publication.statements())
    total = sum((s.closing_balance for s in rows), 0)
    return render(
        request,
        "timebank/publication.html",
        {"page_title": str(publication), "publication": publication, "rows": rows, "total": hours_text(total)},
    )
