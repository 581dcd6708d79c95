"""Reporting periods: a year ("2026") or a month ("2026-11"). Keys are what users type and URLs carry."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    key: str  # "2026" (year), "2026-11" (month)
    start: date
    end: date  # inclusive

    @property
    def kind(self) -> str:
        return "month" if "-" in self.key else "year"

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        return f"{self.start.year}年{self.start.month}月" if self.kind == "month" else f"{self.start.year}年"

    def previous(self) -> "Period":
        if self.kind == "year":
            return parse_period(str(self.year - 1))
        y, m = (self.year, self.start.month - 1) if self.start.month > 1 else (self.year - 1, 12)
        return parse_period(f"{y:04d}-{m:02d}")

    def __str__(self) -> str:
        return self.key


def parse_period(key: str) -> Period:
    """ "2026" or "2026-11" → Period; anything else raises ValueError with a Chinese message."""
    key = (key or "").strip()
    if m := _YEAR.match(key):
        y = int(m.group(1))
        if 2000 <= y <= 2100:
            return Period(key, date(y, 1, 1), date(y, 12, 31))
    elif m := _MONTH.match(key):
        y, mo = int(m.group(1)), int(m.group(2))
        if 2000 <= y <= 2100 and 1 <= mo <= 12:
            return Period(key, date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
    raise ValueError(f"统计周期“{key[:20]}”无效：应为年份（如 2026）或年月（如 2026-11）")


def current_period(kind: str = "year") -> Period:
    today = timezone.localdate()
    if kind == "month":
        return parse_period(f"{today.year:04d}-{today.month:02d}")
    if kind == "year":
        return parse_period(str(today.year))
    raise ValueError(f"未知的周期类型：{kind}")
