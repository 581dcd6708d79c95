"""Where points come from: the time bank's 代课 and 托管 records (read from its records and ledger,
never entered here; a record whose credit the bank auditor reversed earns nothing) and the imported
activity records. Every read goes through the scope layer with 教师发展's own permission."""

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef

from mofang.governance.timebank.models import AfterSchoolDuty, LedgerEntry, SubstitutionRecord

from . import engine
from .models import ActivityRecord, Category, PointRule

BANK = "时间银行"
IMPORTED = "数据导入"


def _rows(model, user, perm):
    """Through the scope layer; `user=None` only for services checking a teacher's own criteria."""
    return model.objects.all() if user is None else model.objects.visible_to(user, perm)


def _bank_sources(model, category, user, perm, staff_ids, start, end, cause):
    reversed_credit = LedgerEntry.objects.filter(**{cause: OuterRef("pk")}, reversals__isnull=False)
    rows = (
        _rows(model, user, perm)
        .filter(account__staff_id__in=staff_ids, date__gte=start, date__lte=end)
        .exclude(Exists(reversed_credit))
        .values("pk", "record_no", "date", "periods", "note", "account__staff_id")
    )
    label = Category(category).label
    return [
        engine.Source(
            category=category,
            day=r["date"],
            units=engine.Decimal(r["periods"]),
            origin=BANK,
            ref=r["record_no"],
            text=f"{label}{r['periods']}课时" + (f"（{r['note']}）" if r["note"] else ""),
            key=(category, r["pk"]),
            staff_id=r["account__staff_id"],
        )
        for r in rows
    ]


def sources(user, perm: str, staff_ids, start: dt.date, end: dt.date) -> list[engine.Source]:
    """Every record dated start..end of these teachers that `user` may read under `perm`."""
    staff_ids = list(staff_ids)
    out = _bank_sources(SubstitutionRecord, Category.SUBSTITUTION, user, perm, staff_ids, start, end, "substitution")
    out += _bank_sources(AfterSchoolDuty, Category.AFTERSCHOOL, user, perm, staff_ids, start, end, "duty")
    for r in (
        _rows(ActivityRecord, user, perm)
        .filter(staff_id__in=staff_ids, date__gte=start, date__lte=end)
        .values("pk", "record_no", "date", "quantity", "title", "category", "staff_id")
    ):
        out.append(
            engine.Source(
                category=r["category"],
                day=r["date"],
                units=r["quantity"],
                origin=IMPORTED,
                ref=r["record_no"],
                text=r["title"],
                key=("record", r["pk"]),
                staff_id=r["staff_id"],
            )
        )
    return out


def rules_of(county) -> dict[str, list[engine.Rule]]:
    """The county's rules, per category, sorted by 生效日期 (rules are public within the platform)."""
    out: dict[str, list[engine.Rule]] = defaultdict(list)
    if county is None:
        return out
    for r in PointRule.objects.filter(county=county).order_by("category", "effective_from"):
        out[r.category].append(engine.Rule(r.category, r.points_per_unit, r.cap, r.cap_period, r.effective_from, r.pk))
    return out


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
