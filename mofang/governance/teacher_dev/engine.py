"""Points from records, pure (no database): each source record × the rule in force on its date,
then the rule's cap per period (每月/每年, per category), records taken in date order so the
ones that pass the cap are the latest. Every line keeps its source, so a total is always the sum
of lines a teacher can read one by one."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
# 浙江省中小学教师专业发展培训：每5年一个周期，累计不少于360学时（周期自2024年起算：2024—2028）
TRAINING_HOURS = Decimal("360")
CYCLE_YEARS = 5
CYCLE_FIRST = 2024


def cycle_of(year: int) -> tuple[int, int]:
    """(first year, last year) of the 5-year training cycle containing `year`."""
    start = CYCLE_FIRST + (year - CYCLE_FIRST) // CYCLE_YEARS * CYCLE_YEARS
    return start, start + CYCLE_YEARS - 1


@dataclass(frozen=True)
class Rule:
    category: str
    points_per_unit: Decimal
    cap: Decimal | None
    cap_period: str  # none | month | year
    effective_from: dt.date
    pk: int | None = None


@dataclass(frozen=True)
class Source:
    """A record that earns points: its category, date, units and words to show."""

    category: str
    day: dt.date
    units: Decimal
    origin: str  # 时间银行 / 数据导入
    ref: str  # the record's number where it was recorded
    text: str
    key: tuple = ()  # orders records of the same day (model, pk)
    staff_id: int | None = None


@dataclass
class Line:
    source: Source
    rule: Rule | None
    raw: Decimal = ZERO  # units × points per unit
    points: Decimal = ZERO  # counted, after the cap
    note: str = ""

    @property
    def capped(self) -> bool:
        return self.points < self.raw


@dataclass
class Result:
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.points for line in self.lines), ZERO)

    def by_category(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for line in self.lines:
            row = out.setdefault(line.source.category, {"units": ZERO, "raw": ZERO, "points": ZERO, "records": 0})
            row["units"] += line.source.units
            row["raw"] += line.raw
            row["points"] += line.points
            row["records"] += 1
        return out


def rule_on(rules: list[Rule], day: dt.date) -> Rule | None:
    """The rule in force on `day` among one category's rules (sorted by effective_from)."""
    found = None
    for r in rules:
        if r.effective_from <= day:
            found = r
        else:
            break
    return found


def _period_key(rule: Rule, day: dt.date):
    if rule.cap_period == "month":
        return (day.year, day.month)
    if rule.cap_period == "year":
        return (day.year,)
    return None


def compute(sources: list[Source], rules: dict[str, list[Rule]]) -> Result:
    """One teacher's lines. `rules`: category → that category's rules sorted by effective_from."""
    used: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    result = Result()
    for s in sorted(sources, key=lambda s: (s.day, s.key)):
        rule = rule_on(rules.get(s.category, []), s.day)
        if rule is None:
            result.lines.append(Line(s, None, note="该日期无适用的积分规则"))
            continue
        raw = (s.units * rule.points_per_unit).quantize(CENT)
        points, note = raw, ""
        period = _period_key(rule, s.day)
        if rule.cap is not None and period is not None:
            key = (s.category, *period)
            room = max(rule.cap - used[key], ZERO)
            if raw > room:
                points = room
                note = f"超出{'当月' if rule.cap_period == 'month' else '当年'}上限{rule.cap.normalize():f}分，计{room.normalize():f}分"
            used[key] += points
        result.lines.append(Line(s, rule, raw, points, note))
    return result


def compute_many(sources: list[Source], rules: dict[str, list[Rule]]) -> dict[int | None, Result]:
    """Per teacher (Source.staff_id), for rankings."""
    by_staff: dict[int | None, list[Source]] = defaultdict(list)
    for s in sources:
        by_staff[s.staff_id].append(s)
    return {pk: compute(items, rules) for pk, items in by_staff.items()}
