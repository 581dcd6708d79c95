"""校园安全隐患未办结数, shipped by this module over its facts, refreshed incrementally."""

from django.utils import timezone

from mofang.governance.campus_safety.cases import CODE, ROUTES
from mofang.platform.cases import routing
from mofang.platform.cases import services as cases
from mofang.platform.indicators import analytics, selectors

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


def test_hazards_are_refreshed_incrementally_when_a_hazard_is_reported(tree):
    routing.save_rule(ROUTES, tree.county, "traffic", tree.department, acting_user=None)
    v = selectors.indicator_value("open_hazards", tree.county, THIS_YEAR)
    assert v.value == 0 and v.denominator is None and v.as_of is not None
    cases.open_case(CODE, title="校门口车辆乱停", reporting_org=tree.school, acting_user=None, category="traffic")
    out = analytics.refresh_fact("campus_safety.open_hazards", THIS_YEAR)
    assert out["mode"] == "incremental"
    assert selectors.indicator_value("open_hazards", tree.county, THIS_YEAR).value == 1
    assert selectors.indicator_value("open_hazards", tree.other_county, THIS_YEAR).value == 0
