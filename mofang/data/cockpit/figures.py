"""What the cockpit shows for one region: the map (children coloured by an indicator, or a county's
schools as points), indicator cards against targets with trends, the league table and the open /
overdue items of every module.

Everything is read through the scope layer: org units through `OrgUnit.objects.visible_to(user,
VIEW)`, indicator values through the indicators selectors for org units the user may see (the
selectors never widen the org they are given), items through each module's scoped querysets.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from mofang.platform.accounts.scope import grants_for
from mofang.platform.orgs.models import REGION_KINDS, OrgKind, OrgUnit

from . import boundaries, counters, scale
from .roles import VIEW

MAP_KINDS = (*REGION_KINDS, OrgKind.SCHOOL)
TREND_YEARS = 5
TREND_MONTHS = 12
CACHE_SECONDS = 300  # a target changed by hand shows within five minutes; a fact refresh at once


class BadInput(ValueError):
    """A query parameter the page cannot use; the message names the field in Chinese."""


def _indicators():
    """The indicators core (mofang.platform.indicators), or None while it is not installed."""
    try:
        from mofang.platform.indicators import periods, selectors
    except ImportError:
        return None
    if not hasattr(selectors, "indicator_value"):
        return None
    return periods, selectors


# --- regions --------------------------------------------------------------------------------


def visible_orgs(user):
    return OrgUnit.objects.visible_to(user, VIEW)


def roots(user) -> list[OrgUnit]:
    """The user's top visible org units (the map's possible roots), shallowest first."""
    ids = [g.org_id for g in grants_for(user, VIEW) if not g.own]
    found = list(visible_orgs(user).filter(pk__in=ids).order_by("path"))
    out: list[OrgUnit] = []
    for o in found:
        if not any(o.path.startswith(r.path) for r in out):
            out.append(o)
    return out


def resolve_region(user, raw: str | None) -> OrgUnit:
    """The region asked for (an org id the user may see: a region or a school), else the first root."""
    if not raw:
        tops = roots(user)
        if not tops:
            raise BadInput("地区：您没有可查看的地区")
        return tops[0]
    if not str(raw).isdigit():
        raise BadInput("地区：请从地图或列表中选择")
    region = visible_orgs(user).filter(pk=int(raw), kind__in=MAP_KINDS).first()
    if region is None:
        raise LookupError("地区不存在或不在您的数据范围内")
    return region


def breadcrumb(user, region) -> list[OrgUnit]:
    return list(visible_orgs(user).filter(pk__in=OrgUnit.objects.get_ancestors(region)).order_by("path")) + [region]


def children(user, region) -> list[OrgUnit]:
    kinds = (OrgKind.SCHOOL,) if region.kind == OrgKind.COUNTY else (OrgKind.CITY, OrgKind.COUNTY, OrgKind.SCHOOL)
    if region.kind == OrgKind.SCHOOL:
        return []
    return list(
        visible_orgs(user).filter(path__startswith=region.path, depth=region.depth + 1, kind__in=kinds).order_by("path")
    )


# --- indicators -----------------------------------------------------------------------------


@dataclass
class Choice:
    code: str
    name: str
    unit: str
    direction: str  # higher | lower
    period_type: str  # year | month


def _choice(ind) -> Choice:
    period_type = getattr(ind, "period_type", None) or getattr(ind, "period", None) or "year"
    return Choice(
        ind.code,
        ind.name,
        getattr(ind, "unit", "") or "",
        getattr(ind, "direction", "higher") or "higher",
        str(period_type),
    )


def indicator_choices(user) -> list[Choice]:
    core = _indicators()
    if core is None:
        return []
    return [_choice(i) for i in core[1].indicators_for(user).order_by("order", "code")]


def resolve_period(choice: Choice, raw: str | None) -> str:
    periods, _ = _indicators()
    if not raw:
        return periods.current_period(choice.period_type).key
    try:
        p = periods.parse_period(raw)
    except ValueError as exc:
        raise BadInput(f"统计期：{exc}") from None
    # a year indicator asked for a month (or the reverse) is read for the matching period kind
    if choice.period_type == "year" and "-" in p.key:
        return p.key[:4]
    if choice.period_type == "month" and "-" not in p.key:
        return periods.current_period("month").key if p.key == str(timezone.localdate().year) else f"{p.key}-12"
    return p.key


def trend_periods(choice: Choice, key: str) -> list[str]:
    if "-" not in key:
        y = int(key)
        return [str(y - n) for n in range(TREND_YEARS - 1, -1, -1)]
    y, m = map(int, key.split("-"))
    out = []
    for n in range(TREND_MONTHS - 1, -1, -1):
        yy, mm = divmod((y * 12 + m - 1) - n, 12)
        out.append(f"{yy}-{mm + 1:02d}")
    return out


def _num(v) -> float | None:
    return None if v is None else float(round(Decimal(v), 2))


RATIO_UNITS = ("%", "‰")


NO_DATA = "暂无数据"


def display(v, unit: str, none: str = NO_DATA) -> str:
    """A figure as the page writes it: counts without decimals (1180所), ratios with at least one
    (90.0%); no value is 暂无数据 (never 0 or 0.0%), a missing target `none` ("—")."""
    if v is None:
        return none
    if unit not in RATIO_UNITS and float(v) == int(v):
        return f"{int(v)}{unit}"
    text = f"{v:.2f}".rstrip("0")
    return (text + "0" if text.endswith(".") else text) + unit


def _value_dict(v) -> dict:
    if v is None:
        return {"value": None, "target": None, "met": None, "numerator": None, "denominator": None, "as_of": None}
    return {
        "value": _num(v.value),
        "target": _num(v.target),
        "met": v.met,
        "numerator": _num(v.numerator),
        "denominator": _num(v.denominator),
        "as_of": v.as_of,
    }


def ranked(rows: list[dict], direction: str) -> list[dict]:
    """League order: best first by the indicator's direction; equal values share a rank; no value last."""
    have = [r for r in rows if r["value"] is not None]
    have.sort(key=lambda r: (-r["value"] if direction != "lower" else r["value"], r["name"]))
    rank, prev = 0, object()
    for i, r in enumerate(have, start=1):
        if r["value"] != prev:
            rank, prev = i, r["value"]
        r["rank"] = rank
    rest = [r for r in rows if r["value"] is None]
    for r in rest:
        r["rank"] = None
    return have + rest


def _version() -> str:
    """Changes whenever the indicators core refreshes a fact (the 数据截至 of some number moves)."""
    try:
        from django.db.models import Max

        from mofang.platform.indicators.models import FactRefresh
    except ImportError:
        return ""
    stamp = FactRefresh.objects.aggregate(m=Max("refreshed_at"))["m"]
    return stamp.isoformat() if stamp else ""


def _cached(parts: tuple, compute):
    import hashlib

    key = "cockpit:figures:" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()
    hit = cache.get(key)
    if hit is None:
        hit = compute()
        cache.set(key, hit, CACHE_SECONDS)
    return hit


def indicator_figures(region, chosen: Choice | None, period_key: str, choices: list[Choice]) -> tuple[dict, list]:
    """({child org id: value dict}, cards) for a region, cached for CACHE_SECONDS and until the next
    fact refresh. The figures of an org do not depend on who asks: scope decides which regions a
    user may ask for (resolve_region) and which children are shown (children), not their values.
    The cards do not depend on the map's indicator either (only on its period), so switching the
    map's indicator reuses them."""
    if not choices:
        return {}, []
    _, sel = _indicators()
    version = _version()
    values = {}
    if chosen:
        values = _cached(
            ("values", region.pk, region.path, chosen.code, period_key, version),
            lambda: {org.pk: _value_dict(v) for org, v in sel.child_values(chosen.code, region, period_key)},
        )
    codes = ",".join(c.code for c in choices)
    period_type = chosen.period_type if chosen else ""
    cards = _cached(
        ("cards", region.pk, region.path, period_type, period_key, codes, version),
        lambda: [_card(sel, region, c, period_key if c.period_type == period_type else None) for c in choices],
    )
    return values, cards


def _card(sel, region, c: Choice, period_key: str | None) -> dict:
    key_c = period_key or resolve_period(c, None)
    trend = sel.series(c.code, region, trend_periods(c, key_c))
    current = trend[-1][1] if trend else None
    fig = _value_dict(current)
    return {
        "code": c.code,
        "name": c.name,
        "unit": c.unit,
        "direction": c.direction,
        "period": key_c,
        **fig,
        "value_text": display(fig["value"], c.unit),
        "target_text": display(fig["target"], c.unit, "—"),
        "trend": [{"period": p, "value": _num(v.value) if v else None} for p, v in trend],
    }


# --- the whole page -------------------------------------------------------------------------


def build(user, region, *, indicator: str | None = None, period: str | None = None, now=None) -> dict:
    now = now or timezone.now()
    kids = children(user, region)
    choices = indicator_choices(user)
    chosen = None
    if indicator:
        chosen = next((c for c in choices if c.code == indicator), None)
        if chosen is None:
            raise BadInput("指标：请从列表中选择")
    elif choices:
        chosen = choices[0]
    period_key = resolve_period(chosen, period) if chosen else ""

    rows = [
        {
            "id": c.pk,
            "name": c.name,
            "code": c.code or "",
            "kind": c.kind,
            "drill": True,
            "lon": _num(c.longitude),
            "lat": _num(c.latitude),
            **_value_dict(None),
        }
        for c in kids
    ]
    values, cards = indicator_figures(region, chosen, period_key, choices)
    unit = chosen.unit if chosen else ""
    for r in rows:
        r.update(values.get(r["id"]) or _value_dict(None))
        r["value_text"], r["target_text"] = display(r["value"], unit), display(r["target"], unit, "—")
    league = ranked([dict(r) for r in rows], chosen.direction if chosen else "higher")

    # 数据截至 of the map's indicator: its children's values, else the region's own card
    stamps = [r["as_of"] for r in rows if r["as_of"]]
    stamps += [c["as_of"] for c in cards if chosen and c["code"] == chosen.code and c["as_of"] and not stamps]
    as_of = max(stamps) if stamps else None

    items = counters.all_rows(user, region, now)
    schools = visible_orgs(user).filter(path__startswith=region.path, kind=OrgKind.SCHOOL).count()
    # the map: outlines and mode (boundaries.py), colours and legend from fixed breaks (scale.py)
    county = None
    if region.kind == OrgKind.SCHOOL:
        county = OrgUnit.objects.get_ancestors(region).filter(kind=OrgKind.COUNTY).last()
    mode, geo = boundaries.map_payload(region, kids, county)
    points = []
    if mode == "point":
        points = [{"id": region.pk, "name": region.name, "lon": _num(region.longitude), "lat": _num(region.latitude)}]
    tiles = boundaries.tile_layout(kids) if mode == "tiles" else {}
    for r in rows:
        r["tile"] = tiles.get(r["id"])
    legend = scale.apply(rows, chosen.__dict__ if chosen else None)
    return {
        "region": {"id": region.pk, "name": region.name, "kind": region.kind, "code": region.code or ""},
        "indicator": chosen.__dict__ if chosen else None,
        "period": period_key,
        "choices": [c.__dict__ for c in choices],
        "as_of": as_of,
        "mode": mode,
        "geo": geo,
        "scale": legend,
        "children": rows,
        "points": points,
        "league": league,
        "cards": cards,
        "items": items,
        "schools": schools,
        "open_total": sum(i["open"] for i in items),
        "overdue_total": sum(i["overdue"] or 0 for i in items),
        "generated_at": now,
    }


def as_json(data: dict) -> dict:
    """The same figures, ready for JSON (datetimes as ISO strings)."""

    def conv(v):
        if isinstance(v, dt.datetime):
            return timezone.localtime(v).isoformat(timespec="seconds")
        if isinstance(v, dict):  # boundaries hold no datetimes: thousands of coordinates are left as they are
            return {k: x if k == "geo" else conv(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [conv(x) for x in v]
        return v

    return conv(data)
