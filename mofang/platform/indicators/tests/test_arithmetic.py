"""Indicator arithmetic: ratios from summed numerators and denominators, targets met exactly."""

from decimal import Decimal

import pytest
from django.utils import timezone

from mofang.platform.indicators import analytics, selectors
from mofang.platform.indicators.models import Direction, Indicator, Target
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType
from mofang.platform.testing import add

FACTS: dict[str, dict[int, int]] = {}


# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)
LAST_YEAR = str(int(THIS_YEAR) - 1)


@pytest.fixture
def facts():
    """Two test facts whose values the test sets per org id."""
    FACTS.clear()
    FACTS.update({"t.num": {}, "t.den": {}})
    for code in FACTS:
        register_fact_source(FactSource(code, code, lambda p, c=code: list(FACTS[c].items())))
    yield FACTS
    for code in ("t.num", "t.den"):
        FACT_SOURCES.pop(code, None)


@pytest.fixture
def rate(db):
    return Indicator.objects.create(
        code="t_rate",
        name="测试参与率",
        numerator="t.num",
        denominator="t.den",
        unit="%",
        factor=Decimal(100),
        decimals=1,
    )


def school(county, n):
    return add(
        county, f"{county.name}{n}号学校", OrgKind.SCHOOL, f"{county.code}{n:04d}", school_type=SchoolType.PRIMARY
    )


def test_a_region_rate_sums_numerators_and_denominators_never_averages_percentages(tree, facts, rate):
    small = school(tree.county, 2)
    facts["t.num"].update({tree.school.pk: 90, small.pk: 1})  # 90% of 100, 10% of 10
    facts["t.den"].update({tree.school.pk: 100, small.pk: 10})
    v = selectors.indicator_value("t_rate", tree.county, THIS_YEAR)
    assert (v.numerator, v.denominator) == (Decimal(91), Decimal(110))
    assert v.value == Decimal("82.7")  # 91/110, while the average of 90% and 10% would be 50%
    rows = dict(selectors.child_values("t_rate", tree.county, THIS_YEAR))
    assert rows[tree.school].value == Decimal("90.0") and rows[small].value == Decimal("10.0")
    assert tree.department not in rows


def test_a_school_moved_to_another_county_moves_its_numbers_after_refresh(tree, facts, rate):
    facts["t.num"][tree.school.pk] = 5
    facts["t.den"][tree.school.pk] = 10
    assert selectors.indicator_value("t_rate", tree.county, THIS_YEAR).numerator == 5
    OrgUnit.objects.move(
        OrgUnit.objects.get(pk=tree.school.pk), OrgUnit.objects.get(pk=tree.other_county.pk), "last-child"
    )
    analytics.refresh_fact("t.num", THIS_YEAR, full=True)  # the nightly full refresh
    analytics.refresh_fact("t.den", THIS_YEAR, full=True)
    county = OrgUnit.objects.get(pk=tree.county.pk)
    other = OrgUnit.objects.get(pk=tree.other_county.pk)
    assert selectors.indicator_value("t_rate", county, THIS_YEAR).value is None  # 0 of 0
    assert selectors.indicator_value("t_rate", other, THIS_YEAR).value == Decimal("50.0")
    assert selectors.indicator_value("t_rate", tree.city, THIS_YEAR).numerator == 5


@pytest.mark.parametrize(
    "direction,value,target,met",
    [
        (Direction.HIGHER, 50, "50.0", True),
        (Direction.HIGHER, 50, "50.1", False),
        (Direction.LOWER, 50, "50.0", True),
        (Direction.LOWER, 50, "49.9", False),
    ],
)
def test_a_target_met_exactly_counts_as_met_in_both_directions(tree, facts, rate, direction, value, target, met):
    rate.direction = direction
    rate.save()
    facts["t.num"][tree.school.pk] = value
    facts["t.den"][tree.school.pk] = 100
    Target.objects.create(indicator=rate, org=tree.county, year=int(THIS_YEAR), value=Decimal(target))
    v = selectors.indicator_value("t_rate", tree.county, THIS_YEAR)
    assert v.target == Decimal(target) and v.met is met


def test_an_indicator_whose_source_is_not_registered_has_no_data(tree):
    Indicator.objects.create(code="t_missing", name="未接入", numerator="nosuch.a", denominator="nosuch.b")
    assert selectors.indicator_value("t_missing", tree.county, THIS_YEAR) is None
    assert selectors.child_values("t_missing", tree.county, THIS_YEAR)[0][1] is None
    assert selectors.series("t_missing", tree.county, [LAST_YEAR, THIS_YEAR]) == [(LAST_YEAR, None), (THIS_YEAR, None)]


def test_shipped_sources_feed_their_indicators(tree):
    v = selectors.indicator_value("smart_campus_coverage", tree.county, THIS_YEAR)
    assert v is None  # nothing imported yet
    v = selectors.indicator_value("students", tree.county, THIS_YEAR)
    assert v.value == 0 and v.denominator is None and v.as_of is not None
