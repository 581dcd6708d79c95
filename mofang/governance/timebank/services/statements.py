"""一月一反馈: monthly statements, the school's published balance list, and the SMS to each teacher.

Done in bulk for a set of banks (a handful of grouped queries and bulk writes per chunk), so the
monthly run scales to a province. Regenerating a month is idempotent: statements are rewritten
with the same numbers, and only new or changed statements send an SMS.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.jobs.services import PeriodicJob, run_job, start_job
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.notifications.services import send_sms_bulk
from mofang.platform.orgs.models import OrgUnit

from ..models import Account, Bank, EntryKind, LedgerEntry, MonthlyStatement, Publication
from ..models.bank import ZERO
from ..models.statements import month_label
from .common import month_bounds, parse_month, previous_month, require

BANKS_PER_CHUNK = 200
_NUMBERS = ["opening_balance", "earned_substitution", "earned_afterschool", "spent", "corrections", "closing_balance"]


def generate_monthly_statements(bank, month: str, *, acting_user=None, reporter=None) -> dict:
    """Statements, publication and SMS for one bank and month (e.g. '2026-10')."""
    month = parse_month(month)
    require(acting_user, "timebank.run_statements", bank.school)
    _start, end = month_bounds(month)
    if bank.started_on > end:
        raise ValidationError(
            {
                "month": gettext("{value}早于本校时间银行起算日期（{started_on:%Y-%m-%d}）").format(
                    value=month_label(month), started_on=bank.started_on
                )
            }
        )
    if reporter:
        reporter.progress(0, total=1, message=f"正在生成{month_label(month)}对账单")
    result = _generate([bank], month, acting_user=acting_user)
    if reporter:
        reporter.progress(1, total=1)
    return result


def generate_all_monthly_statements(month: str, *, reporter=None) -> dict:
    """The scheduled run: every bank that had started by the end of the month, chunk by chunk."""
    _start, end = month_bounds(month)
    bank_ids = list(Bank.objects.filter(started_on__lte=end).order_by("pk").values_list("pk", flat=True))
    totals = {"statements": 0, "created": 0, "updated": 0, "sms": 0, "banks": 0}
    if reporter:
        reporter.progress(0, total=len(bank_ids), message=f"正在生成{month_label(month)}对账单")
    for i in range(0, len(bank_ids), BANKS_PER_CHUNK):
        chunk = list(Bank.objects.filter(pk__in=bank_ids[i : i + BANKS_PER_CHUNK]).select_related("school"))
        part = _generate(chunk, month, acting_user=None)
        for key in totals:
            totals[key] += part[key]
        if reporter:
            reporter.progress(min(i + BANKS_PER_CHUNK, len(bank_ids)))
    return {**totals, "message": _summary(month, totals)}


def _summary(month, r) -> str:
    return f"{month_label(month)}对账单：共{r['statements']}份（新增{r['created']}，更新{r['updated']}），发送短信{r['sms']}条"


def _generate(banks: list, month: str, *, acting_user) -> dict:
    start, end = month_bounds(month)
    bank_ids = [b.pk for b in banks]
    now = timezone.now()
    with transaction.atomic():
        entries = LedgerEntry.objects.filter(account__bank_id__in=bank_ids).order_by()
        opening = dict(
            entries.filter(occurred_on__lt=start)
            .values("account_id")
            .annotate(s=Sum("amount"))
            .values_list("account_id", "s")
        )
        in_month: defaultdict[int, dict] = defaultdict(dict)
        for account_id, kind, s in (
            entries.filter(occurred_on__gte=start, occurred_on__lte=end)
            .values("account_id", "kind")
            .annotate(s=Sum("amount"))
            .values_list("account_id", "kind", "s")
        ):
            in_month[account_id][kind] = s
        # only what the numbers and the SMS need: a province re-run builds ~100k of these
        accounts = list(
            Account.objects.filter(bank_id__in=bank_ids)
            .select_related("staff", "bank")
            .only("id", "bank_id", "bank__school_id", "staff__name", "staff__phone_sealed", "staff__user_id")
            .order_by("pk")
        )
        existing = {
            s.account_id: s
            for s in MonthlyStatement.objects.filter(account__bank_id__in=bank_ids, month=month).only(
                "id", "account_id", "month", *_NUMBERS
            )
        }
        created, updated, texts = [], [], []
        per_bank: defaultdict[int, int] = defaultdict(int)
        for account in accounts:
            sums = in_month.get(account.pk, {})
            st = existing.get(account.pk) or MonthlyStatement(account=account, month=month)
            old = st.numbers() if st.pk else None
            st.opening_balance = opening.get(account.pk, ZERO)
            st.earned_substitution = sums.get(EntryKind.CREDIT_SUBSTITUTION, ZERO)
            st.earned_afterschool = sums.get(EntryKind.CREDIT_AFTERSCHOOL, ZERO)
            st.spent = -sums.get(EntryKind.DEBIT_LEAVE, ZERO)
            st.corrections = sums.get(EntryKind.CORRECTION, ZERO)
            st.closing_balance = st.opening_balance + sum(sums.values(), ZERO)
            st.account = account  # for the SMS text without another query
            per_bank[account.bank_id] += 1
            if old is None:
                st.generated_at = now
                created.append(st)
            elif old != st.numbers():
                st.generated_at = now
                updated.append(st)
            else:
                continue
            phone = account.staff.phone
            if phone:
                texts.append(
                    SMSMessage(
                        org_id=account.bank.school_id,
                        recipient_id=account.staff.user_id,
                        phone=phone,
                        text=st.sms_text(),
                    )
                )
        MonthlyStatement.objects.bulk_create(created, batch_size=2000)
        MonthlyStatement.objects.bulk_update(updated, [*_NUMBERS, "generated_at"], batch_size=1000)
        published = set(Publication.objects.filter(bank_id__in=bank_ids, month=month).values_list("bank_id", flat=True))
        Publication.objects.bulk_create(
            Publication(bank_id=pk, month=month, published_by=acting_user)
            for pk in bank_ids
            if pk in per_bank and pk not in published
        )
        if texts:
            send_sms_bulk(texts)
        for bank in banks:
            if per_bank.get(bank.pk):
                record(
                    actor=acting_user,
                    action=AuditAction.ACTION,
                    obj=bank,
                    org=bank.school,
                    summary=f"生成{bank}{month_label(month)}对账单{per_bank[bank.pk]}份并公示结余",
                )
    result = {
        "statements": sum(per_bank.values()),
        "created": len(created),
        "updated": len(updated),
        "sms": len(texts),
        "banks": len(per_bank),
    }
    return {**result, "message": _summary(month, result)}


# --- as a job: the "run now" button and the monthly schedule ------------------------------------


def start_statements_job(bank, month: str, *, acting_user):
    """The school or its auditor runs the month now; the page follows the job's progress."""
    month = parse_month(month)
    require(acting_user, "timebank.run_statements", bank.school, message="您没有生成对账单的权限")
    _start, end = month_bounds(month)
    if bank.started_on > end:
        raise ValidationError(
            {
                "month": gettext("{value}早于本校时间银行起算日期（{started_on:%Y-%m-%d}）").format(
                    value=month_label(month), started_on=bank.started_on
                )
            }
        )
    with transaction.atomic():
        job = start_job(
            task=run_statements_task,
            kind="timebank:statements",
            org=bank.school,
            title=f"{bank}{month_label(month)}月度对账单",
            acting_user=acting_user,
            params={"bank": bank.pk, "month": month},
        )
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            obj=bank,
            org=bank.school,
            summary=f"发起生成{bank}{month_label(month)}对账单",
        )
    return job


@task()
def run_statements_task(job_id: int) -> dict:
    return run_job(job_id, _statements_body)


def _statements_body(job, reporter) -> dict:
    month = job.params["month"]
    if job.params.get("bank"):
        bank = Bank.objects.select_related("school").get(pk=job.params["bank"])
        return generate_monthly_statements(bank, month, acting_user=job.created_by, reporter=reporter)
    return generate_all_monthly_statements(month, reporter=reporter)


def statements_period(now) -> str:
    """On or after the 1st of a month, the month to report is the previous one."""
    return previous_month(timezone.localdate(now) if timezone.is_aware(now) else now.date())


def start_monthly_run(period: str):
    """The scheduled 一月一反馈 for every bank (one job for the whole installation)."""
    root = OrgUnit.objects.get_root_nodes().first()
    if root is None or not Bank.objects.exists():
        return None
    return start_job(
        task=run_statements_task,
        kind="timebank:statements",
        org=root,
        title=f"时间银行{month_label(period)}月度对账单（全部学校）",
        params={"month": period},
    )


MONTHLY_STATEMENTS = PeriodicJob(
    name="timebank.monthly_statements", title="时间银行一月一反馈", period_of=statements_period, run=start_monthly_run
)
