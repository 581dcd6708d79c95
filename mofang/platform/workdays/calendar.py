"""Working-day arithmetic: the national calendar (statutory holidays and make-up working days,
from the maintained `chinesecalendar` package) overlaid with the bureau's own days (BureauDay).

`chinesecalendar` only knows the years it was released for (2004 … 2026 in 1.11); for any other
year it raises NotImplementedError and we fall back to Monday–Friday plus the bureau's own days —
the calendar page warns that the year's official arrangement has not been entered.

"N 个工作日" is counted the way administrative time limits are: the starting day is not counted,
the deadline is the end of the N-th working day after it (行政许可法 §82, 民法典 §201).
"""

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone

# chinese_calendar's holiday names (its Holiday enum values) in Chinese
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WEEKDAYS = "一二三四五六日"
ONE_DAY = dt.timedelta(days=1)
MAX_WORKING_DAYS = 3660  # ten years of working days: anything longer is an input error, not a deadline


@dataclass(frozen=True)
class Day:
    """What one date is for a unit: working or not, why, and where the answer came from."""

    date: dt.date
    working: bool
    name: str = ""  # 国庆节 / the bureau's reason / "" for an ordinary day
    source: str = "weekday"  # weekday (ordinary Mon–Fri or weekend) | national | bureau
    known: bool = True  # False: the national arrangement of this year is not in the calendar

    @property
    def weekday_label(self) -> str:
        return f"周{WEEKDAYS[self.date.weekday()]}"


def official_known(year: int) -> bool:
    """Whether the national calendar has the State Council's arrangement for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def national_day(day: dt.date) -> Day:
    """The date in the national calendar alone (weekends only when the year is unknown to it)."""
    try:
        working = chinese_calendar.is_workday(day)
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return Day(day, day.weekday() < 5, known=False)
    label = HOLIDAY_NAMES.get(name, name or "")
    weekend = day.weekday() >= 5
    if working:
        return Day(day, True, f"{label}调休上班" if label else "调休上班", "national") if weekend else Day(day, True)
    if label:  # the whole holiday span, its weekend days included
        return Day(day, False, label, "national")
    return Day(day, False)  # an ordinary weekend


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _ancestor_paths(org) -> list[str]:
    step = type(org).steplen
    return [org.path[:i] for i in range(step, len(org.path) + 1, step)]


class WorkCalendar:
    """The calendar as seen from one org unit (its own and its ancestors' days apply), or the
    national calendar alone when `org` is None. Reads the bureau's days one year at a time."""

    def __init__(self, org=None):
        self.org = org
        self._bureau: dict[int, dict[dt.date, tuple[bool, str]]] = {}

    def _bureau_days(self, year: int) -> dict[dt.date, tuple[bool, str]]:
        if self.org is None:
            return {}
        if year not in self._bureau:
            from .models import BureauDay, DayKind

            rows = (
                BureauDay.objects.filter(org__path__in=_ancestor_paths(self.org), date__year=year)
                .order_by("org__depth")
                .values_list("date", "kind", "name")
            )
            # deeper units come later and win
            self._bureau[year] = {d: (kind == DayKind.WORKING, name) for d, kind, name in rows}
        return self._bureau[year]

    def day(self, day) -> Day:
        day = _as_date(day)
        base = national_day(day)
        own = self._bureau_days(day.year).get(day)
        if own is not None:
            return Day(day, own[0], own[1], "bureau", base.known)
        return base

    def is_working(self, day) -> bool:
        return self.day(day).working

    def add(self, start, n: int) -> dt.date:
        if n < 0:
            raise ValueError("n must not be negative")
        if n > MAX_WORKING_DAYS:
            raise ValueError(f"n must be at most {MAX_WORKING_DAYS}")
        day, left = _as_date(start), n
        while left:
            day += ONE_DAY
            if self.is_working(day):
                left -= 1
        return day

    def between(self, start, end) -> int:
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working(day)
        return count


def is_working_day(day, org=None) -> bool:
    return WorkCalendar(org).is_working(day)


def add_working_days(start, n: int, org=None) -> dt.date:
    """The date N working days after `start` (a date, or an aware datetime taken at its local date);
    the starting day itself is not counted. `org`: whose own days apply (it and its ancestors')."""
    return WorkCalendar(org).add(start, n)


def working_days_between(start, end, org=None) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier), so
    that working_days_between(d, add_working_days(d, n)) == n."""
    return WorkCalendar(org).between(start, end)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the platform's time zone: a deadline "by day X" is met all that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max), timezone.get_current_timezone())


def deadline_after(moment, n: int, org=None) -> dt.datetime:
    """The end of the N-th working day after `moment`'s local date."""
    return end_of_day(add_working_days(moment, n, org))


def special_days(year: int, org=None) -> list[Day]:
    """The year's dates that differ from an ordinary week (national holidays on weekdays, make-up
    working days on weekends, the bureau's own days), in date order."""
    cal = WorkCalendar(org)
    out, day = [], dt.date(year, 1, 1)
    while day.year == year:
        d = cal.day(day)
        if d.source != "weekday":
            out.append(d)
        day += ONE_DAY
    return out
