"""义务教育招生计划学位数, shipped by this module over its facts: 班级数 × 班额 of the intake whose
registration is open at the period's end (today for this year), summed up the tree."""

from django.utils import timezone

from mofang.governance.enrollment import services
from mofang.platform.indicators import selectors
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = timezone.localdate().year
# the intake parents are registering for today (from September on, next year's)
INTAKE = services.intake_years()[0]


def test_planned_seats_are_classes_times_class_size_summed_to_the_county(tree):
    services.set_intake_plan(tree.school, INTAKE, "primary", classes=2, class_size=40, acting_user=None)
    services.set_intake_plan(tree.other_school, INTAKE, "primary", classes=3, class_size=45, acting_user=None)
    services.set_intake_plan(tree.school, INTAKE + 1, "primary", classes=9, class_size=40, acting_user=None)
    assert selectors.indicator_value("enrollment_seats", tree.county, str(THIS_YEAR)).value == 80
    assert selectors.indicator_value("enrollment_seats", tree.city, str(THIS_YEAR)).value == 80 + 135


def test_a_county_that_does_not_enrol_on_the_platform_has_no_data_not_zero(tree):
    services.set_intake_plan(tree.school, INTAKE, "primary", classes=2, class_size=40, acting_user=None)
    quiet = add(tree.city, "无招生县", OrgKind.COUNTY, "330899")
    assert selectors.indicator_value("enrollment_registrations", tree.county, str(THIS_YEAR)).value == 0
    assert selectors.indicator_value("enrollment_registrations", quiet, str(THIS_YEAR)).value is None
    assert selectors.indicator_value("enrollment_seats", quiet, str(THIS_YEAR)).value is None
