"""Recording extra work (代课, 托管): each record posts its credit in the same transaction."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.people.models import Staff

from ..models import AfterSchoolDuty, EntryKind, LedgerEntry, RateKind, SubstitutionRecord
from ..models.ledger import lock_ledgers
from ..models.records import MAX_PERIODS_PER_RECORD
from ..models.statements import hours_text
from .bank import RateTable, ensure_accounts, staff_belongs
from .common import check_work_date, require


@dataclass(frozen=True)
class WorkKind:
    rate_kind: str
    model: Any  # SubstitutionRecord or AfterSchoolDuty: the same fields, the same calls
    entry_kind: str
    entry_field: str  # LedgerEntry FK to the record
    prefix: str  # generated record numbers
    label: str


SUBSTITUTION = WorkKind(
    RateKind.SUBSTITUTION, SubstitutionRecord, EntryKind.CREDIT_SUBSTITUTION, "substitution", "DK", "代课"
)
AFTERSCHOOL = WorkKind(RateKind.AFTERSCHOOL, AfterSchoolDuty, EntryKind.CREDIT_AFTERSCHOOL, "duty", "TG", "托管")


@dataclass
class WorkItem:
    """One unit of recorded work, before it is written."""

    staff: Staff  # doing the work
    date: dt.date
    periods: int
    record_no: str = ""
    absent: Staff | None = None  # substitution only: the teacher covered for
    note: str = ""


# Sources that replace manual 托管 entry: callables (school) -> the Chinese reason manual entry is
# closed there, or None. The after-school module registers one: where a school runs after-school
# courses, 托管 hours come from its roll calls (credit_afterschool_session), not from a form or import.
DUTY_SOURCES: list = []


def register_duty_source(refusal) -> None:
    if refusal not in DUTY_SOURCES:
        DUTY_SOURCES.append(refusal)


def manual_duty_refusal(school) -> str | None:
    for source in DUTY_SOURCES:
        reason = source(school)
        if reason:
            return reason
    return None


def new_record_no(kind: WorkKind, day) -> str:
    return f"{kind.prefix}{day:%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"


def validate_work(kind: WorkKind, bank, item: WorkItem) -> None:
    """The rules for one record; errors name the form field (staff, absent, date, periods …)."""
    if not staff_belongs(bank, item.staff):
        raise ValidationError(
            {
                "staff": gettext("{value}教师不属于{name}").format(
                    value="代课" if kind is SUBSTITUTION else "托管", name=bank.school.name
                )
            }
        )
    if item.absent is not None:
        if not staff_belongs(bank, item.absent):
            raise ValidationError({"absent": gettext("被代课教师不属于{name}").format(name=bank.school.name)})
        if item.absent.pk == item.staff.pk:
            raise ValidationError({"absent": gettext("代课教师与被代课教师不能是同一人")})
    if isinstance(item.periods, bool) or not isinstance(item.periods, int):
        raise ValidationError({"periods": gettext("课时数应为整数")})
    if not 1 <= item.periods <= MAX_PERIODS_PER_RECORD:
        raise ValidationError(
            {
                "periods": gettext("课时数应为1至{max_periods_per_record}之间的整数").format(
                    max_periods_per_record=MAX_PERIODS_PER_RECORD
                )
            }
        )
    check_work_date(bank, item.date)
    if len(item.record_no) > 40:
        raise ValidationError({"record_no": gettext("记录编号不能超过40个字符")})
    if len(item.note) > 200:
        raise ValidationError({"note": gettext("备注不能超过200个字")})


def _same(existing, item: WorkItem, account_id: int) -> bool:
    return (
        existing.account_id == account_id
        and existing.date == item.date
        and existing.periods == item.periods
        and getattr(existing, "absent_id", None) == (item.absent.pk if item.absent is not None else None)
    )


def post_work(
    kind: WorkKind, bank, items: list[WorkItem], *, acting_user, source: str = "", manual: bool = True
) -> tuple[list, int]:
    """Write records and their credit entries in bulk; returns (new records, unchanged count).

    Idempotent by (bank, record_no): a number already recorded with the same content is skipped;
    with different content it is refused, because a credited record is only undone by a correction.
    Manual 托管 entry (form, import) is refused where a duty source replaces it (manual_duty_refusal).
    """
    require(acting_user, "timebank.record_work", bank.school)
    if kind is AFTERSCHOOL and manual and items:
        reason = manual_duty_refusal(bank.school)
        if reason:
            raise ValidationError({"__all__": reason})
    for item in items:
        validate_work(kind, bank, item)
        item.record_no = item.record_no or new_record_no(kind, item.date)
    with transaction.atomic():
        accounts = ensure_accounts(bank, {i.staff.pk for i in items})
        existing = {
            r.record_no: r for r in kind.model.objects.filter(bank=bank, record_no__in=[i.record_no for i in items])
        }
        rates = RateTable(bank.pk, kind.rate_kind)
        new, unchanged = [], 0
        for item in items:
            account = accounts[item.staff.pk]
            if item.record_no in existing:
                if not _same(existing[item.record_no], item, account.pk):
                    raise ValidationError(
                        {
                            "record_no": gettext(
                                "记录编号 {record_no} 已登记且内容不同；已入账的记录不能修改，如有错误请由银行专管处冲正"
                            ).format(record_no=item.record_no)
                        }
                    )
                unchanged += 1
                continue
            rate = rates.on(item.date)
            if rate is None:
                raise ValidationError(
                    {
                        "date": gettext("{date:%Y-%m-%d}没有生效的{label}折算标准").format(
                            date=item.date, label=kind.label
                        )
                    }
                )
            fields = dict(
                bank=bank,
                account=account,
                record_no=item.record_no,
                date=item.date,
                periods=item.periods,
                rate=rate,
                hours=rate * item.periods,
                note=item.note,
                recorded_by=acting_user,
            )
            if kind is SUBSTITUTION:
                fields["absent"] = item.absent
            new.append(kind.model(**fields))
            existing[item.record_no] = new[-1]
        lock_ledgers([bank.pk])
        kind.model.objects.bulk_create(new)
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                account_id=r.account_id,
                kind=kind.entry_kind,
                amount=r.hours,
                occurred_on=r.date,
                posted_by=acting_user,
                **{kind.entry_field: r},
            )
            for r in new
        )
        if len(new) == 1 and not source:
            r = new[0]
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=r,
                org=bank.school,
                after=snapshot(r),
                summary=f"登记{kind.label}：{r.account.staff.name} {r.date:%Y-%m-%d} {r.periods}课时，"
                f"入账{hours_text(r.hours)}小时",
            )
        elif new:
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                org=bank.school,
                summary=f"{source or '批量'}登记{kind.label}记录{len(new)}条，入账"
                f"{hours_text(sum((r.hours for r in new), Decimal(0)))}小时（{bank}）",
            )
    return new, unchanged


def _one(kind, bank, item, acting_user):
    new, _unchanged = post_work(kind, bank, [item], acting_user=acting_user)
    if new:
        return new[0]
    return kind.model.objects.get(bank=bank, record_no=item.record_no)


def record_substitution(bank, covering, *, date, periods, absent=None, note="", record_no="", acting_user):
    """额外代课: `covering` taught `periods` lessons for `absent`; credits periods × rate hours."""
    item = WorkItem(
        staff=covering,
        date=date,
        periods=periods,
        record_no=(record_no or "").strip(),
        absent=absent,
        note=(note or "").strip(),
    )
    return _one(SUBSTITUTION, bank, item, acting_user)


def record_afterschool_duty(bank, teacher, *, date, periods, note="", record_no="", acting_user):
    """课后托管: `teacher` did `periods` periods of after-school care; credits periods × rate hours."""
    item = WorkItem(
        staff=teacher, date=date, periods=periods, record_no=(record_no or "").strip(), note=(note or "").strip()
    )
    return _one(AFTERSCHOOL, bank, item, acting_user)


def credit_afterschool_session(bank, teacher, *, date, periods, record_no, note="", acting_user=None):
    """课后服务点名: a held after-school session credits its teacher at the bank's after-school rate.

    Called by the after-school module when a roll call is submitted (the caller has checked that
    `acting_user` may take it); the credit itself is the system's. `record_no` is derived from the
    session, so the same session never credits twice (post_work skips a number already recorded).
    """
    item = WorkItem(staff=teacher, date=date, periods=periods, record_no=record_no, note=(note or "")[:200])
    new, _unchanged = post_work(AFTERSCHOOL, bank, [item], acting_user=None, source="课后服务点名", manual=False)
    if new:
        return new[0]
    return AfterSchoolDuty.objects.get(bank=bank, record_no=record_no)
