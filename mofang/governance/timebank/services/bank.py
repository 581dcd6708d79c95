"""Opening a bank, its accounts, and its effective-dated rates."""

import bisect
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Staff

from ..models import Account, Bank, RateKind, RateSchedule
from ..models.bank import DEFAULT_RATES
from ..models.statements import hours_text
from .common import parse_hours, require, today

MAX_RATE = Decimal("8.0")


def school_year_start(day: dt.date) -> dt.date:
    """1 September of the school year containing `day` (banks count from the term start)."""
    return dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def open_bank(school, *, acting_user, started_on: dt.date | None = None) -> Bank:
    """A school opens its time bank: default rates, and an account for every member of staff."""
    if school is None or school.kind != OrgKind.SCHOOL:
        raise ValidationError({"school": gettext("只有学校可以开通时间银行")})
    require(acting_user, "timebank.open_bank", school)
    started_on = started_on or school_year_start(today())
    if started_on > today():
        raise ValidationError({"started_on": gettext("起算日期不能晚于今天")})
    with transaction.atomic():
        if Bank.objects.filter(school=school).exists():
            raise ValidationError({"school": gettext("{name}已开通时间银行").format(name=school.name)})
        bank = Bank.objects.create(school=school, started_on=started_on, opened_by=acting_user)
        RateSchedule.objects.bulk_create(
            RateSchedule(bank=bank, kind=kind, hours_per_period=rate, effective_from=started_on, created_by=acting_user)
            for kind, rate in DEFAULT_RATES.items()
        )
        opened = _open_missing_accounts(bank)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=bank,
            org=school,
            after=snapshot(bank),
            summary=f"开通{bank}，起算日期{started_on:%Y-%m-%d}，开立个人时间账户{opened}个",
        )
    return bank


def _staff_of(bank):
    return Staff.objects.filter(org__path__startswith=bank.school.path)


def _open_missing_accounts(bank) -> int:
    have = set(Account.objects.filter(bank=bank).values_list("staff_id", flat=True))
    missing = [Account(bank=bank, staff_id=pk) for pk in _staff_of(bank).values_list("pk", flat=True) if pk not in have]
    Account.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def open_accounts(bank, *, acting_user) -> int:
    """Open accounts for staff who joined the school after the bank opened."""
    require(acting_user, "timebank.record_work", bank.school)
    with transaction.atomic():
        opened = _open_missing_accounts(bank)
        if opened:
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=bank,
                org=bank.school,
                summary=f"{bank}为新教职工开立个人时间账户{opened}个",
            )
    return opened


def ensure_accounts(bank, staff_ids) -> dict[int, Account]:
    """staff id → account at `bank`, opening the missing ones (on demand, e.g. a new teacher)."""
    staff_ids = set(staff_ids)
    found = {a.staff_id: a for a in Account.objects.filter(bank=bank, staff_id__in=staff_ids)}
    missing = staff_ids - found.keys()
    if missing:
        Account.objects.bulk_create([Account(bank=bank, staff_id=pk) for pk in sorted(missing)], ignore_conflicts=True)
        found = {a.staff_id: a for a in Account.objects.filter(bank=bank, staff_id__in=staff_ids)}
    return found


def staff_belongs(bank, staff) -> bool:
    return staff is not None and staff.org.path.startswith(bank.school.path)


def set_rate(bank, *, kind: str, hours_per_period, effective_from: dt.date, acting_user) -> RateSchedule:
    """Set the rate for one kind of work from a date on. Posted credits are never recomputed, so a
    new rate may not start on or before a date that already has a credited record of that kind."""
    require(acting_user, "timebank.set_rate", bank.school)
    if kind not in RateKind.values:
        raise ValidationError({"kind": gettext("请选择工作类型")})
    rate = parse_hours(hours_per_period, "hours_per_period", step=Decimal("0.1"), maximum=MAX_RATE)
    if not isinstance(effective_from, dt.date):
        raise ValidationError({"effective_from": gettext("请填写生效日期")})
    if effective_from < bank.started_on:
        raise ValidationError(
            {
                "effective_from": gettext("生效日期不能早于时间银行起算日期（{started_on:%Y-%m-%d}）").format(
                    started_on=bank.started_on
                )
            }
        )
    from ..models import AfterSchoolDuty, SubstitutionRecord

    records = SubstitutionRecord if kind == RateKind.SUBSTITUTION else AfterSchoolDuty
    with transaction.atomic():
        last = records.objects.filter(bank=bank).order_by("-date").values_list("date", flat=True).first()
        if last is not None and effective_from <= last:
            raise ValidationError(
                {
                    "effective_from": gettext("已有{last:%Y-%m-%d}的记录按原标准入账，新标准须从其后一天起生效").format(
                        last=last
                    )
                }
            )
        row = RateSchedule.objects.filter(bank=bank, kind=kind, effective_from=effective_from).first()
        before = snapshot(row) if row else None
        if row:
            RateSchedule.objects.filter(pk=row.pk).update(hours_per_period=rate, created_by=acting_user)
            row.refresh_from_db()
        else:
            row = RateSchedule.objects.create(
                bank=bank, kind=kind, hours_per_period=rate, effective_from=effective_from, created_by=acting_user
            )
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=row,
            org=bank.school,
            before=before,
            after=snapshot(row),
            summary=f"{bank}{RateKind(kind).label}折算标准：1课时={hours_text(rate)}小时，{effective_from:%Y-%m-%d}起",
        )
    return row


class RateTable:
    """Rates of one bank and kind, looked up by date (the row in force on that date)."""

    def __init__(self, bank_id: int, kind: str):
        rows = list(
            RateSchedule.objects.filter(bank_id=bank_id, kind=kind)
            .order_by("effective_from")
            .values_list("effective_from", "hours_per_period")
        )
        self.dates = [d for d, _ in rows]
        self.rates = [r for _, r in rows]

    def on(self, day: dt.date) -> Decimal | None:
        i = bisect.bisect_right(self.dates, day) - 1
        return self.rates[i] if i >= 0 else None


def rate_on(bank, kind: str, day: dt.date) -> Decimal | None:
    return RateTable(bank.pk, kind).on(day)


def current_rates(bank) -> dict[str, Decimal | None]:
    return {kind: rate_on(bank, kind, today()) for kind in RateKind.values}
