"""Bank pages for the school, its auditor and the bureaus: overview, recording work, rates,
monthly statements, the year-end export, and the bank and account lists."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import has_perm, has_perm_at
from mofang.platform.imports.exports import xlsx_response
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import DutyForm, MonthForm, OpenBankForm, RateForm, SubstitutionForm, apply_errors
from ..models import Account, Bank, LeaveRequest, LedgerEntry, Publication, RateKind, RateSchedule
from ..models.statements import hours_text
from ..services.common import previous_month, today
from ..services.exports import parse_year
from ..services.work import AFTERSCHOOL, SUBSTITUTION, manual_duty_refusal, new_record_no
from .common import accounts_of, bank_for, forbidden, render_form

_DEC = models.DecimalField(max_digits=12, decimal_places=1)


class BankList(ScopedListView):
    """Banks in the user's subtree with their account counts and balance totals."""

    model = Bank
    permission = "timebank.view_bank"
    title = "时间银行"
    template_name = "timebank/bank_list.html"
    search_fields = ["school__name", "school__code"]
    search_placeholder = "学校名称或标识码"
    select_related = ["school"]
    order_by = ["school__path"]
    columns = [
        Col("学校", lambda b: b.school.name, lambda b: reverse("timebank:bank_detail", args=[b.pk])),
        Col("学校标识码", lambda b: b.school.code),
        Col("起算日期", lambda b: b.started_on),
        Col("账户数", lambda b: b.account_count, num=True),
        Col("余额合计（小时）", lambda b: float(b.balance_total), num=True),
    ]

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def extra_context(self):
        return {
            "can_open": has_perm(self.request.user, "timebank.open_bank"),
            "can_export": has_perm(self.request.user, "timebank.export"),
            "year": today().year,
        }


class AccountList(ScopedListView):
    """Every account the user may see, with its balance (sum of entries)."""

    model = Account
    permission = "timebank.view_account"
    title = "个人时间账户"
    search_fields = ["staff__name", "staff__staff_no"]
    search_placeholder = "姓名或工号"
    select_related = ["staff", "bank__school"]
    order_by = ["bank__school__path", "staff__staff_no"]
    columns = [
        Col("学校", lambda a: a.bank.school.name),
        Col("工号", lambda a: a.staff.staff_no),
        Col("姓名", lambda a: a.staff.name, lambda a: reverse("timebank:account_detail", args=[a.pk])),
        Col("余额（小时）", lambda a: float(a.balance), num=True),
    ]

    def get_queryset(self):
        return super().get_queryset().with_balance()


class BankAccountList(AccountList):
    """The accounts of one bank."""

    def base_queryset(self):
        self.bank = bank_for(self.request, self.kwargs["pk"])
        self.title = f"{self.bank.school.name}个人时间账户"
        return super().base_queryset().filter(bank=self.bank)


@login_required
def open_bank(request):
    if not has_perm(request.user, "timebank.open_bank"):
        raise Http404("页面不存在或您没有权限")
    schools = OrgUnit.objects.visible_to(request.user, "timebank.open_bank").filter(
        kind=OrgKind.SCHOOL, timebank__isnull=True
    )
    form = OpenBankForm(request.POST or None, schools=schools)
    ctx = {"page_title": "开通时间银行", "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                bank = services.open_bank(
                    form.cleaned_data["school"], started_on=form.cleaned_data["started_on"], acting_user=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            else:
                messages.success(request, f"已开通{bank}，为{bank.accounts.count()}位教职工开立个人时间账户")
                return redirect("timebank:bank_detail", bank.pk)
        return render_form(request, "timebank/open_bank.html", ctx, invalid=True)
    return render_form(request, "timebank/open_bank.html", ctx)


@login_required
def bank_detail(request, pk):
    bank = bank_for(request, pk)
    user, school = request.user, bank.school
    can = {
        p: has_perm_at(user, f"timebank.{p}", school)
        for p in ("record_work", "approve_leave", "run_statements", "set_rate", "export", "post_correction")
    }
    accounts = accounts_of(request, bank)
    month = today().replace(day=1)
    stats = (
        LedgerEntry.objects.visible_to(user, "timebank.view_account")
        .filter(account__bank=bank)
        .aggregate(
            total=Coalesce(models.Sum("amount"), models.Value(Decimal("0")), output_field=_DEC),
            month_earned=Coalesce(
                models.Sum("amount", filter=models.Q(amount__gt=0, occurred_on__gte=month)),
                models.Value(Decimal("0")),
                output_field=_DEC,
            ),
        )
    )
    pending = (
        LeaveRequest.objects.visible_to(user, "timebank.approve_leave")
        .pending()
        .filter(account__bank=bank)
        .select_related("account__staff", "account__bank__school")  # each row names the school
        .order_by("requested_at")
    )
    return render(
        request,
        "timebank/bank_detail.html",
        {
            "page_title": str(bank),
            "bank": bank,
            "can": can,
            "account_count": accounts.count(),
            "balance_total": stats["total"],
            "month_earned": stats["month_earned"],
            "rates": RateSchedule.objects.visible_to(user, "timebank.view_bank")
            .filter(bank=bank)
            .order_by("kind", "-effective_from"),
            "current_rates": [(RateKind(k).label, v) for k, v in services.current_rates(bank).items()],
            "pending": pending if can["approve_leave"] else [],
            "publications": Publication.objects.visible_to(user, "timebank.view_publication").filter(bank=bank)[:12],
            "month_form": MonthForm(initial={"month": previous_month(today())}),
            "rate_form": RateForm(initial={"effective_from": today()}),
            "year": today().year,
        },
    )


def _require_at(request, bank, perm):
    if not has_perm_at(request.user, perm, bank.school):
        raise PermissionDenied("您没有执行该操作的权限")


def _record_work(request, pk, kind):
    bank = bank_for(request, pk)
    try:
        _require_at(request, bank, "timebank.record_work")
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form_class = SubstitutionForm if kind is SUBSTITUTION else DutyForm
    accounts = accounts_of(request, bank)
    form = form_class(request.POST or None, accounts=accounts, record_no=new_record_no(kind, today()))
    ctx = {
        "page_title": f"登记{'额外代课' if kind is SUBSTITUTION else '课后托管'}",
        "bank": bank,
        "form": form,
        "kind": kind.label,
        "rate": services.rate_on(bank, kind.rate_kind, today()),
        "closed": manual_duty_refusal(bank.school) if kind is AFTERSCHOOL else None,
    }
    if request.method != "POST":
        return render_form(request, "timebank/work_form.html", ctx)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if kind is SUBSTITUTION:
                rec = services.record_substitution(
                    bank,
                    d["staff"].staff,
                    absent=d["absent"].staff if d["absent"] else None,
                    date=d["date"],
                    periods=d["periods"],
                    note=d["note"],
                    record_no=d["record_no"],
                    acting_user=request.user,
                )
            else:
                rec = services.record_afterschool_duty(
                    bank,
                    d["staff"].staff,
                    date=d["date"],
                    periods=d["periods"],
                    note=d["note"],
                    record_no=d["record_no"],
                    acting_user=request.user,
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            done = f"已登记：{rec.account.staff.name} {rec.date:%Y-%m-%d} {kind.label}{rec.periods}课时，入账{hours_text(rec.hours)}小时"
            if request.htmx:
                ctx.update(form=form_class(accounts=accounts, record_no=new_record_no(kind, today())), done=done)
                return render_form(request, "timebank/work_form.html", ctx)
            messages.success(request, done)
            return redirect(request.path)
    return render_form(request, "timebank/work_form.html", ctx, invalid=True)


@login_required
def record_substitution(request, pk):
    return _record_work(request, pk, SUBSTITUTION)


@login_required
def record_duty(request, pk):
    return _record_work(request, pk, AFTERSCHOOL)


@login_required
@require_POST
def set_rate(request, pk):
    bank = bank_for(request, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.set_rate(
                bank,
                kind=d["kind"],
                hours_per_period=d["hours_per_period"],
                effective_from=d["effective_from"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            messages.success(request, "折算标准已保存")
            return redirect("timebank:bank_detail", bank.pk)
    return render(
        request, "timebank/rate_form.html", {"page_title": "设置折算标准", "bank": bank, "form": form}, status=400
    )


@login_required
@require_POST
def open_accounts(request, pk):
    bank = bank_for(request, pk)
    try:
        opened = services.open_accounts(bank, acting_user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    messages.success(request, f"新开立个人时间账户{opened}个" if opened else "所有教职工均已开户")
    return redirect("timebank:bank_detail", bank.pk)


@login_required
@require_POST
def run_statements(request, pk):
    bank = bank_for(request, pk)
    form = MonthForm(request.POST)
    if form.is_valid():
        try:
            job = services.start_statements_job(bank, form.cleaned_data["month"], acting_user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            url = reverse("jobs:detail", args=[job.pk])
            if request.htmx:
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
    return render(
        request, "timebank/month_form.html", {"page_title": "生成月度对账单", "bank": bank, "form": form}, status=400
    )


def _export(request, accounts, *, org, title):
    try:
        year = parse_year(request.GET.get("year"))
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    content = services.export_year_end(accounts, year, acting_user=request.user, org=org, title=title)
    return xlsx_response(f"{title}{year}年时间银行年终结余.xlsx", content)


@login_required
def export_bank_year_end(request, pk):
    bank = bank_for(request, pk, "timebank.export")
    accounts = Account.objects.visible_to(request.user, "timebank.export").filter(bank=bank)
    return _export(request, accounts, org=bank.school, title=bank.school.name)


@login_required
def export_year_end(request):
    """All accounts in the user's export scope (a county's or city's schools)."""
    if not has_perm(request.user, "timebank.export"):
        raise Http404("页面不存在或您没有权限")
    memberships = request.user.active_memberships()
    org = memberships[0].org if memberships else None
    return _export(request, Account.objects.visible_to(request.user, "timebank.export"), org=org, title="")
