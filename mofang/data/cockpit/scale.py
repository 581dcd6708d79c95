"""The map's colour scale: fixed breaks per indicator (the same at every level and in every view, so
a colour means the same number everywhere) and colours by the indicator's direction — green where
the value is good, red where it is bad. Each region gets its colour here, on the server, and the
legend is drawn from the same pieces, so the two cannot disagree."""

from dataclasses import asdict, dataclass
from itertools import pairwise

RED_TO_GREEN = ("#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850")  # ColorBrewer RdYlGn, 5 classes
NO_DATA_COLOUR = "#9e9e9e"
NO_DATA_LABEL = "暂无数据"

# Four breaks make five classes: below the first, between each pair (lower bound included), from the last.
RATIO_BREAKS = (60.0, 70.0, 80.0, 90.0)  # % and ‰ indicators
COUNT_BREAKS = (1.0, 10.0, 100.0, 1000.0)  # counts: orders of magnitude (0, 1–9, 10–99, …)
BREAKS: dict[str, tuple[float, float, float, float]] = {
    # open safety hazards: a handful already matters
    "open_hazards": (1.0, 3.0, 10.0, 30.0),
    "overdue_hazards": (1.0, 3.0, 10.0, 30.0),
}


@dataclass
class Piece:
    label: str
    colour: str
    min: float | None  # included
    max: float | None  # excluded


def _num(v: float) -> str:
    return f"{int(v)}" if float(v) == int(v) else f"{v:g}"


def breaks_for(indicator: dict) -> tuple[float, ...]:
    if indicator["code"] in BREAKS:
        return BREAKS[indicator["code"]]
    return RATIO_BREAKS if indicator.get("unit") in ("%", "‰") else COUNT_BREAKS


def pieces(indicator: dict | None) -> list[Piece]:
    """The classes of an indicator's scale, lowest values first."""
    if indicator is None:
        return []
    b, unit = breaks_for(indicator), indicator.get("unit") or ""
    colours = RED_TO_GREEN if indicator.get("direction") != "lower" else tuple(reversed(RED_TO_GREEN))
    out = [Piece(f"低于{_num(b[0])}{unit}", colours[0], None, b[0])]
    out += [Piece(f"{_num(lo)}～{_num(hi)}{unit}", colours[i + 1], lo, hi) for i, (lo, hi) in enumerate(pairwise(b))]
    out.append(Piece(f"{_num(b[-1])}{unit}及以上", colours[-1], b[-1], None))
    return out


def colour_of(value: float | None, scale: list[Piece]) -> tuple[str, str]:
    """(colour, class label) of a value; grey 暂无数据 when there is no value (or no indicator)."""
    if value is None or not scale:
        return NO_DATA_COLOUR, NO_DATA_LABEL
    for p in scale:
        if (p.min is None or value >= p.min) and (p.max is None or value < p.max):
            return p.colour, p.label
    return NO_DATA_COLOUR, NO_DATA_LABEL


def apply(rows: list[dict], indicator: dict | None) -> dict:
    """Give each row its `colour` and `band`; return the legend (pieces, the no-data entry, direction)."""
    scale = pieces(indicator)
    for r in rows:
        r["colour"], r["band"] = colour_of(r.get("value"), scale)
    lower = bool(indicator and indicator.get("direction") == "lower")
    return {
        "pieces": [asdict(p) for p in scale],
        "no_data": {"label": NO_DATA_LABEL, "colour": NO_DATA_COLOUR},
        "direction": "lower" if lower else "higher",
        "direction_text": "越低越好：绿色为低、红色为高" if lower else "越高越好：绿色为高、红色为低",
    }
