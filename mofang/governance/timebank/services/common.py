"""Shared rules for the time-bank services: permission checks, dates, months, hours, balances."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.models import Membership
from mofang.platform.accounts.registry import ROLES
from mofang.platform.accounts.scope import has_perm_at

from ..models import LedgerEntry
from ..models.bank import ZERO
from ..models.statements import hours_text

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def require(user, perm: str, org, *, allow_own: bool = False, message: str = "您没有执行该操作的权限") -> None:
    """Refuse unless `user` holds `perm` on `org`. `user=None` is the system (scheduler, demo)."""
    if user is None:
        return
    if not has_perm_at(user, perm, org, allow_own=allow_own):
        raise PermissionDenied(message)


def today() -> dt.date:
    return timezone.localdate()


def check_work_date(bank, day, field: str = "date") -> None:
    if not isinstance(day, dt.date):
        raise ValidationError({field: gettext("请填写日期")})
    if day > today():
        raise ValidationError({field: gettext("日期不能晚于今天")})
    if day < bank.started_on:
        raise ValidationError(
            {field: gettext("日期早于本校时间银行起算日期（{started_on:%Y-%m-%d}）").format(started_on=bank.started_on)}
        )


def parse_hours(value, field: str = "hours", *, step: Decimal = Decimal("0.5"), maximum: Decimal) -> Decimal:
    """Hours as entered: a positive multiple of `step`, at most `maximum`."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: gettext("请填写小时数")}) from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({field: gettext("小时数应大于0")})
    if hours > maximum:
        raise ValidationError({field: gettext("小时数不能超过{value}").format(value=hours_text(maximum))})
    if hours % step or hours != hours.quantize(Decimal("0.1")):  # the second catches tiny exponents
        raise ValidationError({field: gettext("小时数应为{step}的整数倍").format(step=step)})
    return hours.quantize(Decimal("0.1"))


def parse_month(value) -> str:
    """'2026-10' (also 2026-10-01 or 2026/10) → '2026-10'; refuses months after the current one."""
    raw = str(value or "").strip().replace("/", "-")[:7]
    m = _MONTH_RE.match(raw)
    if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 2000:
        raise ValidationError({"month": gettext("月份格式应为 2026-10")})
    if (int(m[1]), int(m[2])) > (today().year, today().month):
        raise ValidationError({"month": gettext("不能为尚未到来的月份生成对账单")})
    return raw


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, mon = int(month[:4]), int(month[5:7])
    start = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: dt.date) -> str:
    return month_key(day.replace(day=1) - dt.timedelta(days=1))


# --- balances: always sums of ledger entries ---------------------------------------------------


def balance_of(account_id: int) -> Decimal:
    return LedgerEntry.objects.filter(account_id=account_id).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]


def available_balance(account_id: int, day: dt.date) -> Decimal:
    """The most that may be debited with date `day`: the lowest month-end balance from day's month on.

    Statements close each month at the sum of entries dated up to its last day; checking every
    month end from the debit's month onward keeps every statement, not only today's balance, ≥ 0.
    """
    start = day.replace(day=1)
    entries = LedgerEntry.objects.filter(account_id=account_id)
    running = entries.filter(occurred_on__lt=start).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]
    per_month: dict[str, Decimal] = {month_key(start): ZERO}
    for row in entries.filter(occurred_on__gte=start).values("occurred_on").annotate(s=Sum("amount")).order_by():
        key = month_key(row["occurred_on"])
        per_month[key] = per_month.get(key, ZERO) + row["s"]
    month_ends = []
    for key in sorted(per_month):
        running += per_month[key]
        month_ends.append(running)
    return min(month_ends)  # per_month always holds day's own month


def insufficient_message(account_id: int, day: dt.date, available: Decimal, need: Decimal) -> str:
    total = balance_of(account_id)
    if available >= total:
        return f"时间余额不足：当前余额 {hours_text(total)} 小时，本次需 {hours_text(need)} 小时"
    return (
        f"时间余额不足：{day:%Y年%m月}起可用余额 {hours_text(available)} 小时（当前余额 "
        f"{hours_text(total)} 小时，之后已有支取），本次需 {hours_text(need)} 小时"
    )


# --- who gets told ------------------------------------------------------------------------------


def users_with_perm_at(perm: str, org):
    """Users holding `perm` (not only @own) through a membership at `org` or one of its ancestors."""
    codes = [code for code, spec in ROLES.items() if perm in spec.permissions]
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    memberships = Membership.objects.filter(role__code__in=codes, org__path__in=paths, user__is_active=True)
    users = {m.user_id: m.user for m in memberships.select_related("user").order_by("user_id")}
    return list(users.values())
