"""Year-end balances for 期末考核: one row per teacher, audited like every export."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext

from mofang.platform.imports.exports import export_xlsx

from ..models import EntryKind, LedgerEntry
from ..models.bank import ZERO
from .common import today

YEAR_END_HEADERS = [
    "学校",
    "学校标识码",
    "工号",
    "姓名",
    "年初结余（小时）",
    "代课获得（小时）",
    "托管获得（小时）",
    "使用（小时）",
    "冲正调整（小时）",
    "年末结余（小时）",
]


def parse_year(value) -> int:
    try:
        year = int(str(value or today().year).strip())
    except ValueError:
        raise ValidationError({"year": gettext("年份应为四位数字，如 2026")}) from None
    if not 2000 <= year <= today().year:
        raise ValidationError({"year": gettext("年份应在2000至{year}之间").format(year=today().year)})
    return year


def year_end_rows(accounts, year: int) -> list[list]:
    """Rows for the given accounts (already scoped by the caller), numbers by date of work/leave."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    accounts = list(accounts.select_related("bank__school", "staff").order_by("bank__school__path", "staff__staff_no"))
    ids = [a.pk for a in accounts]
    opening: defaultdict[int, Decimal] = defaultdict(lambda: ZERO)
    in_year: defaultdict[int, dict] = defaultdict(dict)
    for i in range(0, len(ids), 5000):  # keep IN lists bounded for a province
        chunk = ids[i : i + 5000]
        entries = LedgerEntry.objects.filter(account_id__in=chunk).order_by()
        for pk, s in (
            entries.filter(occurred_on__lt=start)
            .values("account_id")
            .annotate(s=Sum("amount"))
            .values_list("account_id", "s")
        ):
            opening[pk] = s
        for pk, kind, s in (
            entries.filter(occurred_on__gte=start, occurred_on__lte=end)
            .values("account_id", "kind")
            .annotate(s=Sum("amount"))
            .values_list("account_id", "kind", "s")
        ):
            in_year[pk][kind] = s
    rows = []
    for a in accounts:
        sums = in_year.get(a.pk, {})
        rows.append(
            [
                a.bank.school.name,
                a.bank.school.code,
                a.staff.staff_no,
                a.staff.name,
                float(opening[a.pk]),
                float(sums.get(EntryKind.CREDIT_SUBSTITUTION, ZERO)),
                float(sums.get(EntryKind.CREDIT_AFTERSCHOOL, ZERO)),
                float(-sums.get(EntryKind.DEBIT_LEAVE, ZERO)),
                float(sums.get(EntryKind.CORRECTION, ZERO)),
                float(opening[a.pk] + sum(sums.values(), ZERO)),
            ]
        )
    return rows


def export_year_end(accounts, year: int, *, acting_user, org=None, title: str = "") -> bytes:
    rows = year_end_rows(accounts, year)
    return export_xlsx(
        acting_user=acting_user,
        sheet_title=f"{year}年时间银行年终结余",
        headers=YEAR_END_HEADERS,
        rows=rows,
        summary=f"导出{title or ''}{year}年时间银行年终结余（{len(rows)}人）",
        org=org,
    )
