"""Reading points for pages: one teacher's year (process and value-added views) and the ranking of
a school or a county. Teachers and records come through the scope layer; rules are the county's."""

from dataclasses import dataclass, field
from decimal import Decimal

from mofang.platform.orgs.models import OrgKind
from mofang.platform.orgs.selectors import county_of
from mofang.platform.people.models import Staff, StaffCategory

from . import engine, sources
from .models import UNITS, Category


@dataclass
class CategoryRow:
    category: str
    label: str
    unit: str
    units: Decimal = Decimal(0)
    points: Decimal = Decimal(0)
    last: Decimal = Decimal(0)  # the same category last year
    records: int = 0
    capped: bool = False
    rule: engine.Rule | None = None

    @property
    def change(self) -> Decimal:
        return self.points - self.last


@dataclass
class Year:
    year: int
    result: engine.Result
    last: engine.Result
    rows: list[CategoryRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.result.total

    @property
    def last_total(self) -> Decimal:
        return self.last.total

    @property
    def change(self) -> Decimal:
        return self.total - self.last_total

    def months(self) -> list[tuple[int, Decimal]]:
        by = {m: Decimal(0) for m in range(1, 13)}
        for line in self.result.lines:
            by[line.source.day.month] += line.points
        return list(by.items())


def teacher_year(user, perm: str, staff: Staff, year: int) -> Year:
    """This year's lines and last year's, by category (3 source queries a year, 1 for the rules)."""
    rules = sources.rules_of(county_of(staff.org))
    start, _ = sources.year_bounds(year - 1)
    _, end = sources.year_bounds(year)
    found = sources.sources(user, perm, [staff.pk], start, end)
    this = engine.compute([s for s in found if s.day.year == year], rules)
    last = engine.compute([s for s in found if s.day.year == year - 1], rules)
    now, before = this.by_category(), last.by_category()
    rows = []
    for c in Category:
        here = now.get(c.value, {})
        rule = engine.rule_on(rules.get(c.value, []), sources.year_bounds(year)[1])
        row = CategoryRow(
            c.value,
            str(c.label),
            UNITS[c],
            units=here.get("units", Decimal(0)),
            points=here.get("points", Decimal(0)),
            last=before.get(c.value, {}).get("points", Decimal(0)),
            records=here.get("records", 0),
            capped=here.get("points", Decimal(0)) < here.get("raw", Decimal(0)),
            rule=rule,
        )
        rows.append(row)
    return Year(year, this, last, rows)


@dataclass
class Ranked:
    place: int
    staff: Staff
    total: Decimal
    last: Decimal
    by: dict

    @property
    def change(self) -> Decimal:
        return self.total - self.last


def ranking(user, perm: str, org, year: int, limit: int = 500) -> list[Ranked]:
    """The teachers (专任教师) of a school or a county the user may see, by this year's points."""
    county = county_of(org)
    teachers = list(
        Staff.objects.visible_to(user, perm)
        .filter(org__path__startswith=org.path, category=StaffCategory.TEACHER)
        .select_related("org")
        .order_by("staff_no")[:5000]
    )
    rules = sources.rules_of(county)
    start, _ = sources.year_bounds(year - 1)
    _, end = sources.year_bounds(year)
    found = sources.sources(user, perm, [t.pk for t in teachers], start, end)
    this = engine.compute_many([s for s in found if s.day.year == year], rules)
    last = engine.compute_many([s for s in found if s.day.year == year - 1], rules)
    rows = []
    for t in teachers:
        r = this.get(t.pk)
        by = {k: v["points"] for k, v in r.by_category().items()} if r else {}
        rows.append((r.total if r else Decimal(0), (last[t.pk].total if t.pk in last else Decimal(0)), t, by))
    rows.sort(key=lambda x: (-x[0], x[2].staff_no))
    out, place, prev = [], 0, None
    for i, (total, before, t, by) in enumerate(rows[:limit], start=1):
        if total != prev:
            place, prev = i, total
        out.append(Ranked(place, t, total, before, by))
    return out


def rankable(org) -> bool:
    return org.kind in (OrgKind.SCHOOL, OrgKind.COUNTY)
