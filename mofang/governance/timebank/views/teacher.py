"""我的时间账户 and the account, ledger and statement pages (a teacher sees only their own)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at

from .. import services
from ..forms import LeaveForm, apply_errors
from ..models import Account, LeaveRequest, LedgerEntry, MonthlyStatement, Publication
from .common import forbidden

VIEW = "timebank.view_account"


@login_required
def index(request):
    """The module's front door: the bank pages for the school and bureaus, else my account."""
    if has_perm(request.user, "timebank.view_bank"):
        return redirect("timebank:bank_list")
    return redirect("timebank:my")


def ledger_rows(user, account) -> list[tuple]:
    """(entry, running balance, reversed?) for the account, oldest first, through the scope layer."""
    entries = (
        LedgerEntry.objects.visible_to(user, VIEW)
        .filter(account=account)
        .select_related("substitution__absent", "duty", "leave", "reverses")
        .with_reversal_flag()
        .order_by("occurred_on", "id")
    )
    rows, running = [], 0
    for e in entries:
        running += e.amount
        rows.append((e, running))
    return rows


def _account_context(request, account, *, own: bool) -> dict:
    user = request.user
    school = account.bank.school
    rows = ledger_rows(user, account)
    return {
        "account": account,
        "balance": account.current_balance(),
        "rows": list(reversed(rows)),
        "own": own,
        "can_correct": (not own) and has_perm_at(user, "timebank.post_correction", school),
        "statements": MonthlyStatement.objects.visible_to(user, "timebank.view_statement")
        .filter(account=account)
        .order_by("-month")[:24],
        "leaves": LeaveRequest.objects.visible_to(user, "timebank.view_leave")
        .filter(account=account)
        .order_by("-requested_at")[:50],
        "publication": Publication.objects.visible_to(user, "timebank.view_publication")
        .filter(bank=account.bank)
        .order_by("-month")
        .first(),
    }


def _my_account(request):
    return (
        Account.objects.visible_to(request.user, VIEW)
        .filter(staff__user=request.user)
        .select_related("bank__school", "staff")
        .first()
    )


@login_required
def my_account(request):
    account = _my_account(request)
    if account is None:
        return render(request, "timebank/no_account.html", {"page_title": "我的时间账户"})
    ctx = _account_context(request, account, own=True)
    ctx.update(page_title="我的时间账户", form=LeaveForm())
    return render(request, "timebank/account.html", ctx)


@login_required
def account_detail(request, pk):
    account = get_visible_or_404(Account, request.user, VIEW, pk=pk)
    own = account.staff.user_id == request.user.pk
    ctx = _account_context(request, account, own=own)
    ctx.update(page_title=f"{account.staff.name}的时间账户", form=LeaveForm() if own else None)
    return render(request, "timebank/account.html", ctx)


@login_required
@require_POST
def request_leave(request):
    account = _my_account(request)
    if account is None:
        return render(request, "timebank/no_account.html", {"page_title": "我的时间账户"}, status=404)
    form = LeaveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.request_leave(
                account, kind=d["kind"], date=d["date"], hours=d["hours"], reason=d["reason"], acting_user=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            messages.success(request, "抵假申请已提交，等待学校审批")
            if request.htmx:
                ctx = _account_context(request, account, own=True)
                ctx.update(form=LeaveForm(), submitted=True)
                return render(request, "timebank/account.html#leave-section", ctx)
            return redirect("timebank:my")
    ctx = _account_context(request, account, own=True)
    ctx.update(page_title="我的时间账户", form=form)
    template = "timebank/account.html#leave-section" if request.htmx else "timebank/account.html"
    return render(request, template, ctx, status=400)


@login_required
@require_POST
def cancel_leave(request, pk):
    leave = get_visible_or_404(LeaveRequest, request.user, "timebank.view_leave", pk=pk)
    try:
        services.cancel_leave(leave, acting_user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("timebank:my")
    messages.success(request, "申请已撤回")
    return redirect("timebank:my")


@login_required
def statement_detail(request, pk):
    statement = get_visible_or_404(MonthlyStatement, request.user, "timebank.view_statement", pk=pk)
    account = statement.account
    start, end = services.month_bounds(statement.month)
    entries = (
        LedgerEntry.objects.visible_to(request.user, VIEW)
        .filter(account=account, occurred_on__gte=start, occurred_on__lte=end)
        .select_related("substitution__absent", "duty", "leave", "reverses")
        .order_by("occurred_on", "id")
    )
    return render(
        request,
        "timebank/statement.html",
        {
            "page_title": str(statement),
            "statement": statement,
            "account": account,
            "entries": entries,
            "sms_text": statement.sms_text(),
        },
    )


__all__ = ["account_detail", "cancel_leave", "index", "my_account", "request_leave", "statement_detail"]
