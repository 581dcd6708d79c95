"""一月一反馈: monthly statements, the school's published balance list, and the SMS to each teacher.

Done in bulk for a set of banks (a handful of grouped queries and bulk writes per chunk), so the
monthly run scales to a province. Regenerating a month is idempotent: statements are rewritten
with the same numbers, and only new or changed statements send an SMS.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max
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
from ..models.ledger import lock_ledgers
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
    """One chunk of banks. The numbers of every account are computed and compared with the stored
    statement in one SQL query, which returns only the accounts whose statement is missing or
    differs; only those are loaded, written and told by SMS. The opening balance is the previous
    month's closing balance when that statement is still current — no entry of the account dated
    before this month has been posted since it was computed (`ledger_seen`) — and otherwise the sum
    of the account's entries dated before the month."""
    start, end = month_bounds(month)
    bank_ids = [b.pk for b in banks]
    now = timezone.now()
    with transaction.atomic():
        lock_ledgers(bank_ids, exclusive=True)
        seen = LedgerEntry.objects.aggregate(m=Max("pk"))["m"] or 0
        per_bank = dict(
            Account.objects.filter(bank_id__in=bank_ids)
            .order_by()
            .values("bank_id")
            .annotate(n=Count("pk"))
            .values_list("bank_id", "n")
        )
        changed = _changed_numbers(bank_ids, month, start, end)
        # by id when few changed (a re-run), by bank when many (a first run: no list of 100,000 ids)
        few = len(changed) <= 2000
        accounts = (
            (Account.objects.filter(pk__in=list(changed)) if few else Account.objects.filter(bank_id__in=bank_ids))
            .select_related("staff", "bank")
            .only("id", "bank_id", "bank__school_id", "staff__name", "staff__phone_sealed", "staff__user_id")
            .order_by("pk")
        )
        existing = {
            st.account_id: st
            for st in (
                MonthlyStatement.objects.filter(account_id__in=list(changed))
                if few
                else MonthlyStatement.objects.filter(account__bank_id__in=bank_ids)
            )
            .filter(month=month)
            .only("id", "account_id", "month", "ledger_seen", *_NUMBERS)
        }
        created: list[MonthlyStatement] = []
        updated: list[MonthlyStatement] = []
        texts: list[SMSMessage] = []
        touched: defaultdict[int, int] = defaultdict(int)
        for account in accounts if few else accounts.iterator(chunk_size=2000):
            if account.pk not in changed:
                continue
            opening, sums = changed[account.pk]
            st = existing.get(account.pk) or MonthlyStatement(account=account, month=month)
            old = st.numbers() if st.pk else None
            st.opening_balance = opening
            st.earned_substitution = sums[EntryKind.CREDIT_SUBSTITUTION]
            st.earned_afterschool = sums[EntryKind.CREDIT_AFTERSCHOOL]
            st.spent = -sums[EntryKind.DEBIT_LEAVE]
            st.corrections = sums[EntryKind.CORRECTION]
            st.closing_balance = opening + sum(sums.values(), ZERO)
            st.account = account  # for the SMS text without another query
            if old == st.numbers():  # only a rounding difference of the database's arithmetic (SQLite)
                continue
            st.generated_at = now
            st.ledger_seen = seen
            (created if old is None else updated).append(st)
            touched[account.bank_id] += 1
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
        MonthlyStatement.objects.bulk_update(updated, [*_NUMBERS, "generated_at", "ledger_seen"], batch_size=1000)
        published = set(Publication.objects.filter(bank_id__in=bank_ids, month=month).values_list("bank_id", flat=True))
        Publication.objects.bulk_create(
            Publication(bank_id=pk, month=month, published_by=acting_user)
            for pk in bank_ids
            if pk in per_bank and pk not in published
        )
        if texts:
            send_sms_bulk(texts)
        for bank in banks:
            if touched.get(bank.pk) or (bank.pk in per_bank and bank.pk not in published):
                record(
                    actor=acting_user,
                    action=AuditAction.ACTION,
                    obj=bank,
                    org=bank.school,
                    summary=f"生成{bank}{month_label(month)}对账单{per_bank[bank.pk]}份并公示结余"
                    + (f"（其中新写{touched[bank.pk]}份）" if touched.get(bank.pk) != per_bank[bank.pk] else ""),
                )
    result = {
        "statements": sum(per_bank.values()),
        "created": len(created),
        "updated": len(updated),
        "sms": len(texts),
        "banks": len(per_bank),
    }
    return {**result, "message": _summary(month, result)}


def _changed_numbers(bank_ids: list[int], month: str, start, end) -> dict[int, tuple]:
    """{account id: (opening balance, {entry kind: sum in the month})} for the accounts of these banks
    whose statement of `month` is missing or has other numbers — computed and compared in the database.

    Opening balance: the previous month's closing balance if that statement is current (computed
    with `ledger_seen`, and no entry of the account dated before `start` has a larger id), else the
    sum of the account's entries dated before `start` (the index on (account, id, date) finds the
    entries posted since without reading the older ones). Entries are append-only (the database refuses
    UPDATE and DELETE), so an entry that is not newer than `ledger_seen` was in the closing balance."""
    prev = previous_month(start)
    entry, account, statement = (m._meta.db_table for m in (LedgerEntry, Account, MonthlyStatement))
    kinds = [EntryKind.CREDIT_SUBSTITUTION, EntryKind.CREDIT_AFTERSCHOOL, EntryKind.DEBIT_LEAVE, EntryKind.CORRECTION]
    banks = ", ".join(["%s"] * len(bank_ids))
    sums = ", ".join(f"COALESCE(SUM(CASE WHEN e.kind = %s THEN e.amount END), 0) AS k{i}" for i in range(len(kinds)))
    if connection.vendor == "postgresql":  # each account's month through its (account, date) index
        mon = f"""
            SELECT a.id AS account_id, m.* FROM {account} a CROSS JOIN LATERAL (
                SELECT {sums} FROM {entry} e
                WHERE e.account_id = a.id AND e.occurred_on >= %s AND e.occurred_on <= %s
            ) m WHERE a.bank_id IN ({banks})"""
    else:
        mon = f"""
            SELECT e.account_id, {sums}
            FROM {account} a JOIN {entry} e ON e.account_id = a.id AND e.occurred_on >= %s AND e.occurred_on <= %s
            WHERE a.bank_id IN ({banks})
            GROUP BY e.account_id"""
    sql = f"""
        WITH mon AS ({mon}),
        x AS MATERIALIZED (
            SELECT a.id AS account_id,
                CASE WHEN p.ledger_seen IS NOT NULL AND NOT EXISTS (
                         SELECT 1 FROM {entry} l
                         WHERE l.account_id = a.id AND l.id > p.ledger_seen AND l.occurred_on < %s
                     ) THEN p.closing_balance
                     ELSE COALESCE((SELECT SUM(b.amount) FROM {entry} b
                                    WHERE b.account_id = a.id AND b.occurred_on < %s), 0)
                END AS opening,
                COALESCE(mon.k0, 0) AS k0, COALESCE(mon.k1, 0) AS k1,
                COALESCE(mon.k2, 0) AS k2, COALESCE(mon.k3, 0) AS k3
            FROM {account} a
            LEFT JOIN {statement} p ON p.account_id = a.id AND p.month = %s
            LEFT JOIN mon ON mon.account_id = a.id
            WHERE a.bank_id IN ({banks})
        )
        SELECT x.account_id, x.opening, x.k0, x.k1, x.k2, x.k3
        FROM x LEFT JOIN {statement} s ON s.account_id = x.account_id AND s.month = %s
        WHERE s.id IS NULL
           OR s.opening_balance <> x.opening OR s.earned_substitution <> x.k0 OR s.earned_afterschool <> x.k1
           OR s.spent <> -x.k2 OR s.corrections <> x.k3
           OR s.closing_balance <> x.opening + x.k0 + x.k1 + x.k2 + x.k3
    """
    params = [*kinds, start, end, *bank_ids, start, start, prev, *bank_ids, month]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")  # compiling this query would cost more than running it
        cursor.execute(sql, params)
        return {
            row[0]: (_hours(row[1]), dict(zip(kinds, map(_hours, row[2:]), strict=True))) for row in cursor.fetchall()
        }


def _hours(value) -> Decimal:
    """A sum from the database as hours (SQLite may hand back a float: hours have one decimal place)."""
    return Decimal(str(value)).quantize(Decimal("0.1"))


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
