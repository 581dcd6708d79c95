"""甬信培-style credit rating of an institution: 100 points less deductions for what the
supervision has found, graded A (诚信) / B (良好) / C (警示) / D (失信). Computed from the
registry on read (annotations), never stored, so it is always current.

Deductions: 停业 30, 整改 10; each inspection that ordered rectification in the last two years
10 (at most 30); on a black list in force 50; each flagged pre-paid charge 5 (at most 20); a
正常 institution without a supervised account 10."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import FeeAccount, ListEntry, ListKind, Status

GRADES = ((90, "A", "诚信"), (75, "B", "良好"), (60, "C", "警示"), (0, "D", "失信"))


def with_credit(qs, on: dt.date | None = None):
    """The queryset annotated with what the rating needs (one query for the whole page)."""
    on = on or timezone.localdate()
    black = ListEntry.objects.filter(institution=OuterRef("pk"), kind=ListKind.BLACK, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )
    return qs.annotate(
        cr_rectifications=Count(
            "inspections",
            filter=Q(inspections__rectification__isnull=False, inspections__date__gte=on - dt.timedelta(days=730)),
            distinct=True,
        ),
        cr_flagged=Count("charges", filter=Q(charges__flagged=True), distinct=True),
        cr_black=Exists(black),
        cr_account=Exists(FeeAccount.objects.filter(institution=OuterRef("pk"))),
    )


def rating(inst) -> tuple[int, str, str, list[str]]:
    """(score, grade, grade name, reasons) of an institution from `with_credit`'s annotations."""
    reasons = []
    score = 100
    if inst.status == Status.SUSPENDED:
        score -= 30
        reasons.append("停业 −30")
    elif inst.status == Status.RECTIFYING:
        score -= 10
        reasons.append("整改中 −10")
    if inst.cr_rectifications:
        d = min(30, 10 * inst.cr_rectifications)
        score -= d
        reasons.append(f"近两年责令整改{inst.cr_rectifications}次 −{d}")
    if inst.cr_black:
        score -= 50
        reasons.append("列入黑名单 −50")
    if inst.cr_flagged:
        d = min(20, 5 * inst.cr_flagged)
        score -= d
        reasons.append(f"超限预收费{inst.cr_flagged}笔 −{d}")
    if inst.status == Status.NORMAL and not inst.cr_account:
        score -= 10
        reasons.append("未开设预收费监管账户 −10")
    score = max(score, 0)
    grade, name = next((g, n) for floor, g, n in GRADES if score >= floor)
    return score, grade, name, reasons


def label(inst) -> str:
    if inst.status in (Status.PREPARING, Status.REVIEWING, Status.CANCELLED):
        return "—"
    score, grade, name, _ = rating(inst)
    return f"{grade}（{name}，{score}分）"
