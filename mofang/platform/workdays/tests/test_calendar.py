"""Working-day arithmetic on the national calendar (国庆 and 春节 2026 as the State Council
arranged them, per chinesecalendar), the bureau's own days, and the fallback for years the
package does not know."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.platform.workdays.calendar import (
    add_working_days,
    deadline_after,
    is_working_day,
    national_day,
    official_known,
    special_days,
    working_days_between,
)
from mofang.platform.workdays.models import BureauDay, DayKind

D = dt.date


def test_national_day_2026_is_october_1_to_7_with_september_20_and_october_10_worked():
    assert [d.date for d in special_days(2026) if d.name.startswith("国庆节")] == [
        D(2026, 9, 20),
        *[D(2026, 10, day) for day in range(1, 8)],
        D(2026, 10, 10),
    ]
    assert is_working_day(D(2026, 9, 20)) and is_working_day(D(2026, 10, 10))  # Sunday, Saturday: 调休上班
    assert not any(is_working_day(D(2026, 10, day)) for day in range(1, 8))
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday again
    assert national_day(D(2026, 10, 10)).name == "国庆节调休上班"


def test_five_working_days_from_september_30_run_over_the_holiday_and_the_make_up_saturday():
    # 10-08 (1), 10-09 (2), 10-10 Saturday worked (3), 10-12 (4), 10-13 (5)
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert add_working_days(D(2026, 9, 19), 1) == D(2026, 9, 20)  # the Sunday before is worked
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 11)) == 3
    assert working_days_between(D(2026, 10, 11), D(2026, 9, 30)) == -3
    assert add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)


def test_spring_festival_2026_skips_february_15_to_23_and_works_two_saturdays():
    assert is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))  # Saturdays worked
    assert not any(is_working_day(D(2026, 2, day)) for day in range(15, 24))
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14, 24, 25, 26, 27, 28


def test_a_deadline_ends_at_the_end_of_the_last_working_day_in_china():
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime(2026, 9, 30, 23, 30))
    due = deadline_after(start, 1)
    assert timezone.localtime(due).date() == D(2026, 10, 8)
    assert timezone.localtime(due).time() == dt.time.max


def test_a_city_holiday_applies_below_the_city_only_and_a_lower_unit_wins(tree):
    BureauDay.objects.create(org=tree.city, date=D(2026, 10, 9), kind=DayKind.HOLIDAY, name="衢州市地方假日")
    assert add_working_days(D(2026, 9, 30), 2, tree.county) == D(2026, 10, 10)  # 10-09 skipped
    assert add_working_days(D(2026, 9, 30), 2, tree.school) == D(2026, 10, 10)  # the school is below the city
    assert add_working_days(D(2026, 9, 30), 2, tree.province) == D(2026, 10, 9)  # the province is not
    assert add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 9)  # the national calendar alone
    # 江山市 (a county of the same city) declares the day worked after all: its own entry wins there
    BureauDay.objects.create(org=tree.other_county, date=D(2026, 10, 9), kind=DayKind.WORKING, name="江山市照常上班")
    assert add_working_days(D(2026, 9, 30), 2, tree.other_school) == D(2026, 10, 9)
    assert add_working_days(D(2026, 9, 30), 2, tree.school) == D(2026, 10, 10)
    assert [(d.date, d.source) for d in special_days(2026, tree.school) if d.source == "bureau"] == [
        (D(2026, 10, 9), "bureau")
    ]


def _unknown_year() -> int:
    return next(y for y in range(timezone.localdate().year, 2101) if not official_known(y))


def test_a_year_the_package_does_not_know_falls_back_to_weekends_plus_the_bureaus_days(tree):
    year = _unknown_year()
    assert official_known(2026) and not official_known(year)
    monday = D(year, 10, 1) + dt.timedelta(days=(7 - D(year, 10, 1).weekday()) % 7)
    friday = monday - dt.timedelta(days=3)
    assert national_day(monday).known is False and is_working_day(monday)
    assert add_working_days(friday, 1, tree.county) == monday
    # the province enters that year's official arrangement by hand: its holiday now counts
    BureauDay.objects.create(org=tree.province, date=monday, kind=DayKind.HOLIDAY, name="国庆节")
    assert add_working_days(friday, 1, tree.county) == monday + dt.timedelta(days=1)
    BureauDay.objects.create(
        org=tree.province, date=friday + dt.timedelta(days=1), kind=DayKind.WORKING, name="国庆节调休上班"
    )
    assert add_working_days(friday, 1, tree.county) == friday + dt.timedelta(days=1)


def test_counting_across_new_year_into_an_unknown_year_does_not_fail():
    last = D(_unknown_year() - 1, 12, 31)
    result = add_working_days(last, 10)
    assert working_days_between(last, result) == 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)), n=st.integers(0, 45))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert end >= start
    if n:
        assert is_working_day(end)
        assert working_days_between(start, end - dt.timedelta(days=1)) == n - 1


def test_negative_or_absurd_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), 10**6)
