"""The analytics tables: collect facts from their sources, sum them up the tree, check rules.

Per (fact, period):
1. FactValue holds what the source reports at each org (usually schools). A full refresh collects
   everything; an incremental one asks the source which orgs changed since the last refresh and
   collects only those. Zeros are not stored, except at the orgs a sparse source `covers`: there a
   0 is a count, and no row at all means no data (暂无数据, see selectors._total).
2. FactTotal holds each org's subtree sum. It is recomputed from FactValue with the org tree as it
   is now (cheap: one row per school), so a school moved to another county moves its numbers;
   only totals that changed are written — the changed orgs and their ancestors.
3. FactRefresh records the time the numbers stand for (数据截至).
Ratios are never stored: an indicator value is Σ numerator ÷ Σ denominator read from two totals.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from mofang.platform.orgs.models import OrgUnit

from .models import FactRefresh, FactValue
from .periods import Period, parse_period
from .registry import FACT_SOURCES, is_imported

logger = logging.getLogger(__name__)
ZERO = Decimal(0)
STEP = OrgUnit.steplen
BATCH = 2000


def _d(v) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(v)


def _replace_values(fact: str, period: str, pairs: dict[int, Decimal], only: set[int] | None) -> int:
    """Make FactValue for (fact, period) equal `pairs` (restricted to orgs in `only` when given).
    Returns how many rows changed. PostgreSQL: two set-based statements; elsewhere: the ORM."""
    if connection.vendor == "postgresql":
        return _replace_values_pg(fact, period, pairs, only)
    qs = FactValue.objects.filter(fact=fact, period=period, imported=False)
    if only is not None:
        qs = qs.filter(org_id__in=only) if len(only) <= 5000 else qs
    existing = {org: (pk, val) for pk, org, val in qs.values_list("pk", "org_id", "value")}
    if only is not None:
        existing = {o: v for o, v in existing.items() if o in only}
    stale = [pk for org, (pk, val) in existing.items() if org not in pairs or pairs[org] != val]
    fresh = [
        FactValue(fact=fact, period=period, org_id=org, value=val)
        for org, val in pairs.items()
        if org not in existing or existing[org][1] != val
    ]
    for i in range(0, len(stale), BATCH):
        FactValue.objects.filter(pk__in=stale[i : i + BATCH]).delete()
    FactValue.objects.bulk_create(fresh, batch_size=BATCH)
    return len(fresh) + len([1 for org in existing if org not in pairs])


def _replace_values_pg(fact, period, pairs, only) -> int:
    orgs, values = list(pairs), [pairs[o] for o in pairs]
    with connection.cursor() as cur:
        if only is None:
            cur.execute(
                "DELETE FROM indicators_factvalue WHERE fact = %s AND period = %s AND NOT imported "
                "AND NOT (org_id = ANY(%s))",
                [fact, period, orgs],
            )
        else:
            gone = [o for o in only if o not in pairs]
            cur.execute(
                "DELETE FROM indicators_factvalue WHERE fact = %s AND period = %s AND NOT imported "
                "AND org_id = ANY(%s)",
                [fact, period, gone],
            )
        removed = cur.rowcount
        cur.execute(
            "INSERT INTO indicators_factvalue (fact, period, org_id, value, imported, updated_at) "
            "SELECT %s, %s, o, v, false, now() FROM unnest(%s::integer[], %s::numeric[]) AS t(o, v) "
            "ON CONFLICT (fact, period, org_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at "
            "WHERE indicators_factvalue.value <> excluded.value",
            [fact, period, orgs, values],
        )
        return removed + cur.rowcount


# Subtree sums in one statement: each leaf value is added to every prefix of its path (the ancestors
# and itself), grouped by prefix, joined back to the org with that path. Portable SQL (PostgreSQL and
# SQLite); the depth table bounds the tree at 12 levels (province … class is 6).
_DEPTHS = "(VALUES " + ", ".join(f"({n})" for n in range(1, 13)) + ")"
_SUMS = (
    f"SELECT o.id AS org_id, s.total AS total FROM (SELECT substr(leaf.path, 1, d.column1 * {STEP}) AS p, "
    f"SUM(v.value) AS total FROM indicators_factvalue v JOIN orgs_orgunit leaf ON leaf.id = v.org_id "
    f"JOIN {_DEPTHS} AS d ON d.column1 <= leaf.depth WHERE v.fact = %s AND v.period = %s "
    f"GROUP BY substr(leaf.path, 1, d.column1 * {STEP})) s JOIN orgs_orgunit o ON o.path = s.p"
)


def recompute_totals(fact: str, period: str, now: datetime) -> int:
    """Sum FactValue over subtrees with the current tree; write only the totals that changed
    (a school moved to another county moves its numbers). Returns rows written or removed."""
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM indicators_facttotal WHERE fact = %s AND period = %s AND org_id NOT IN "
            f"(SELECT org_id FROM ({_SUMS}) AS sums)",
            [fact, period, fact, period],
        )
        removed = cur.rowcount
        cur.execute(
            f"INSERT INTO indicators_facttotal (fact, period, org_id, value, computed_at) "
            f"SELECT %s, %s, sums.org_id, sums.total, %s FROM ({_SUMS}) AS sums WHERE true "
            f"ON CONFLICT (fact, period, org_id) DO UPDATE SET value = excluded.value, "
            f"computed_at = excluded.computed_at WHERE indicators_facttotal.value <> excluded.value",
            [fact, period, now, fact, period],
        )
        return removed + max(cur.rowcount, 0)


def _collect(source, period: Period, orgs: list[int] | None) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if orgs is None:
        pairs = source.collect(period)
    elif source.collect_orgs is not None:
        pairs = source.collect_orgs(period, orgs)
    else:
        wanted = set(orgs)
        pairs = ((o, v) for o, v in source.collect(period) if o in wanted)
    for org, value in pairs:
        out[org] += _d(value)
    if source.covers is None:
        return {o: v for o, v in out.items() if v}
    # a covered org is written even with 0, so its subtree reads 0 and not 暂无数据
    covered = set(source.covers(period))
    if orgs is not None:
        covered &= set(orgs)
    return {o: out[o] for o in covered | {o for o, v in out.items() if v}}


# A source without change tracking is re-counted in full; an incremental run does that only when its
# last count is older than this (the nightly run always does). Its 数据截至 says how old it is.
UNTRACKED_MAX_AGE = timedelta(hours=1)


def refresh_fact(fact: str, period: str, *, full: bool = False, now: datetime | None = None) -> dict | None:
    """Refresh one fact for one period; None when the fact has no source and nothing imported."""
    now = now or timezone.now()
    source = FACT_SOURCES.get(fact)
    if source is None and not is_imported(fact):
        return None
    p = parse_period(period)
    with transaction.atomic():
        state, _ = FactRefresh.objects.get_or_create(fact=fact, period=period, defaults={"refreshed_at": now})
        state = FactRefresh.objects.select_for_update().get(pk=state.pk)
        changed_values = 0
        mode = "totals"
        if source is not None:
            if (
                not full
                and source.changed_orgs is None
                and state.full_at is not None
                and state.full_at > now - UNTRACKED_MAX_AGE
            ):
                return {"fact": fact, "period": period, "mode": "skipped", "values": 0, "totals": 0}
            changed_orgs = None if full or state.full_at is None else source.changed_orgs
            if changed_orgs is not None:
                changed = set(changed_orgs(state.refreshed_at))
                mode = "incremental"
                if changed:
                    pairs = _collect(source, p, sorted(changed))
                    changed_values = _replace_values(fact, period, pairs, changed)
            else:
                mode = "full"
                changed_values = _replace_values(fact, period, _collect(source, p, None), None)
                state.full_at = now
        changed_totals = recompute_totals(fact, period, now)
        state.refreshed_at = now
        state.rows = FactValue.objects.filter(fact=fact, period=period).count()
        state.save()
    return {"fact": fact, "period": period, "mode": mode, "values": changed_values, "totals": changed_totals}


def computable_now(period: str) -> bool:
    """Whether a page may compute a never-computed period on the spot: this year or last, not the
    future. Older periods show 暂无数据 unless imported or computed at the time (most sources count
    today's records, which say nothing about 2021)."""
    p = parse_period(period)
    today = timezone.localdate()
    return p.start <= today and p.year >= today.year - 1


def ensure_fresh(fact: str, period: str) -> datetime | None:
    """The 数据截至 of a fact for a period, computing it now if it was never computed.
    None when there is no data: no source registered and nothing imported (shown as 暂无数据)."""
    state = FactRefresh.objects.filter(fact=fact, period=period).values_list("refreshed_at", flat=True).first()
    if state is not None:
        return state
    if fact not in FACT_SOURCES or not computable_now(period):
        return None
    try:
        refresh_fact(fact, period, full=True)
    except Exception:  # a module's broken source must not break a page: its numbers show 暂无数据
        logger.exception("fact source %s failed for %s", fact, period)
        return None
    return FactRefresh.objects.filter(fact=fact, period=period).values_list("refreshed_at", flat=True).first()
