"""Reading indicator values (the contract other modules code against: cockpit, work plans …).

Values come from the precomputed totals (analytics.py), never from averaging percentages: a
value is Σ numerator ÷ Σ denominator over the org's subtree. The caller passes an org the user
may see; these functions never widen it.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from mofang.platform.accounts.scope import has_perm
from mofang.platform.orgs.models import OrgUnit

from .analytics import ensure_fresh
from .models import Direction, FactRefresh, FactTotal, Indicator, Target
from .periods import parse_period
from .registry import is_sparse

VIEW = "indicators.view_indicator"
ZERO = Decimal(0)


@dataclass(frozen=True)
class IndicatorValue:
    indicator_code: str
    org_id: int
    period: str
    numerator: Decimal | None  # None: no data at this org (see registry.is_sparse)
    denominator: Decimal | None  # None for count indicators (no denominator), or no data
    value: Decimal | None  # numerator/denominator × factor (100 for %); None if no data or the denominator is 0
    target: Decimal | None  # the org's target for the period's year (or None)
    met: bool | None  # value against target in the indicator's direction; exact equality = met
    as_of: datetime  # 数据截至: when the numbers were computed


def compute_value(indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None:
        return None  # no data (暂无数据), which is not 0
    if indicator.is_count:
        raw = numerator * indicator.factor if indicator.factor != 1 else numerator
    elif not denominator:
        return None
    else:
        raw = numerator * indicator.factor / denominator
    return raw.quantize(Decimal(1).scaleb(-indicator.decimals), rounding=ROUND_HALF_UP)


def is_met(indicator: Indicator, value: Decimal | None, target: Decimal | None) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if indicator.direction == Direction.HIGHER else value <= target


def _total(sums: dict, fact: str, key) -> Decimal | None:
    """A fact's total at an org (or period): a missing row is 0 for a fact counted over the whole
    tree, and no data (None) for an imported or sparse one (nothing reported in that subtree)."""
    found = sums.get((fact, key))
    if found is not None:
        return found
    return None if is_sparse(fact) else ZERO


def _indicator(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code, active=True).first()


def _as_of(indicator: Indicator, period: str) -> datetime | None:
    """The oldest 数据截至 of the indicator's facts; None when any fact has no data at all."""
    times = []
    for fact in indicator.facts:
        t = ensure_fresh(fact, period)
        if t is None:
            return None
        times.append(t)
    return min(times)


def values_for(indicator: Indicator, org_ids: list[int], period: str) -> dict[int, IndicatorValue | None]:
    """One IndicatorValue per org id (None for all when the indicator has no data for the period)."""
    parse_period(period)
    as_of = _as_of(indicator, period)
    if as_of is None:
        return dict.fromkeys(org_ids)
    sums: dict[tuple[str, int], Decimal] = {
        (f, o): v
        for f, o, v in FactTotal.objects.filter(
            fact__in=indicator.facts, period=period, org_id__in=org_ids
        ).values_list("fact", "org_id", "value")
    }
    year = int(period[:4])
    targets = dict(
        Target.objects.filter(indicator=indicator, year=year, org_id__in=org_ids).values_list("org_id", "value")
    )
    out: dict[int, IndicatorValue | None] = {}
    for o in org_ids:
        num = _total(sums, indicator.numerator, o)
        den = None if indicator.is_count else _total(sums, indicator.denominator, o)
        if den is None and not indicator.is_count:
            num = None  # no denominator data: the ratio has no data either
        value = compute_value(indicator, num, den)
        target = targets.get(o)
        out[o] = IndicatorValue(
            indicator.code, o, period, num, den, value, target, is_met(indicator, value, target), as_of
        )
    return out


def indicator_value(code: str, org, period: str) -> IndicatorValue | None:
    indicator = _indicator(code)
    if indicator is None:
        return None
    return values_for(indicator, [org.pk], period)[org.pk]


def child_values(code: str, org, period: str) -> list[tuple[OrgUnit, IndicatorValue | None]]:
    """One row per direct child of `org` (regions, or schools under a county); departments,
    grades and classes are not reporting units and are left out."""
    children = [c for c in OrgUnit.objects.get_children(org) if c.kind in ("province", "city", "county", "school")]
    indicator = _indicator(code)
    if indicator is None:
        return [(c, None) for c in children]
    values = values_for(indicator, [c.pk for c in children], period)
    return [(c, values[c.pk]) for c in children]


def series(code: str, org, periods: list[str]) -> list[tuple[str, IndicatorValue | None]]:
    """The org's value for each period (a card's trend): one query each for the refresh times,
    the totals and the targets, whatever the number of periods."""
    indicator = _indicator(code)
    if indicator is None:
        return [(p, None) for p in periods]
    for p in periods:
        parse_period(p)
    as_of = _as_of_many(indicator, periods)
    live = [p for p in periods if as_of[p] is not None]
    sums: dict[tuple[str, str], Decimal] = {
        (f, p): v
        for f, p, v in FactTotal.objects.filter(fact__in=indicator.facts, period__in=live, org_id=org.pk).values_list(
            "fact", "period", "value"
        )
    }
    targets = dict(
        Target.objects.filter(indicator=indicator, org_id=org.pk, year__in={int(p[:4]) for p in live}).values_list(
            "year", "value"
        )
    )
    out: list[tuple[str, IndicatorValue | None]] = []
    for p in periods:
        computed_at = as_of[p]
        if computed_at is None:
            out.append((p, None))
            continue
        num = _total(sums, indicator.numerator, p)
        den = None if indicator.is_count else _total(sums, indicator.denominator, p)
        if den is None and not indicator.is_count:
            num = None
        value = compute_value(indicator, num, den)
        target = targets.get(int(p[:4]))
        out.append(
            (
                p,
                IndicatorValue(
                    indicator.code, org.pk, p, num, den, value, target, is_met(indicator, value, target), computed_at
                ),
            )
        )
    return out


def _as_of_many(indicator: Indicator, periods: list[str]) -> dict[str, datetime | None]:
    """_as_of for several periods: one query for the refresh times already recorded; a period
    with a fact never computed goes through ensure_fresh (which may compute it now)."""
    known = {
        (f, p): t
        for f, p, t in FactRefresh.objects.filter(fact__in=indicator.facts, period__in=periods).values_list(
            "fact", "period", "refreshed_at"
        )
    }
    out: dict[str, datetime | None] = {}
    for p in periods:
        if all((f, p) in known for f in indicator.facts):
            out[p] = min(known[(f, p)] for f in indicator.facts)
        else:
            out[p] = _as_of(indicator, p)
    return out


def indicators_for(user) -> QuerySet[Indicator]:
    """The indicators a user may see: all active ones for holders of indicators.view_indicator."""
    if not has_perm(user, VIEW):
        return Indicator.objects.none()
    return Indicator.objects.filter(active=True)


def active_rules() -> QuerySet:
    """The validation rules in force (rules are shared data; their violations are scoped)."""
    from .models import ValidationRule

    return ValidationRule.objects.filter(active=True)
