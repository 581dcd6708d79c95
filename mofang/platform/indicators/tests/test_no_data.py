"""No data is not zero: a region where a module keeps no records (or nothing was imported) has no
value (暂无数据), while a region the module covers with nothing to count reads 0."""

from decimal import Decimal

import pytest
from django.utils import timezone

from mofang.platform.indicators import selectors
from mofang.platform.indicators.models import Indicator
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.indicators.services import write_statistics
from mofang.platform.testing import make_user

THIS_YEAR = str(timezone.localdate().year)
COUNTED: dict[int, int] = {}
COVERED: set[int] = set()


@pytest.fixture
def sparse(db):
    """A module's count over the schools that use the module (`covers`), and a count indicator on it."""
    COUNTED.clear()
    COVERED.clear()
    register_fact_source(
        FactSource("t.used", "t.used", lambda p: list(COUNTED.items()), covers=lambda p: list(COVERED))
    )
    yield Indicator.objects.create(
        code="t_used", name="测试计数", numerator="t.used", unit="件", factor=Decimal(1), decimals=0
    )
    FACT_SOURCES.pop("t.used", None)


def test_a_covered_school_with_nothing_counted_reads_zero_and_an_uncovered_county_has_no_data(tree, sparse):
    COVERED.add(tree.school.pk)  # 常山 uses the module and has nothing to count; 江山 does not use it
    assert selectors.indicator_value("t_used", tree.county, THIS_YEAR).value == 0
    assert selectors.indicator_value("t_used", tree.other_county, THIS_YEAR).value is None
    assert selectors.indicator_value("t_used", tree.city, THIS_YEAR).value == 0
    rows = {o.pk: v.value if v else None for o, v in selectors.child_values("t_used", tree.city, THIS_YEAR)}
    assert rows[tree.county.pk] == 0 and rows[tree.other_county.pk] is None


def test_an_imported_statistic_has_no_value_where_nothing_was_imported(tree):
    admin = make_user("nd_prov", "province_admin", tree.province)
    write_statistics(
        [("import.smart_campus_schools", tree.school.pk, THIS_YEAR, Decimal(0))], acting_user=admin, org=tree.province
    )
    # 常山's one school was rated and is not a 智慧校园: 0.0%; 江山's school was not rated: 暂无数据
    assert selectors.indicator_value("smart_campus_coverage", tree.county, THIS_YEAR).value == Decimal("0.0")
    assert selectors.indicator_value("smart_campus_coverage", tree.other_county, THIS_YEAR).value is None
