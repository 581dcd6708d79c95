"""义务教育招生计划学位数, shipped by this module over its facts: 班级数 × 班额 of the year's plans,
summed up the tree."""

from django.utils import timezone

from mofang.governance.enrollment import services
from mofang.platform.indicators import selectors

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = timezone.localdate().year


def test_planned_seats_are_classes_times_class_size_summed_to_the_county(tree):
    services.set_intake_plan(tree.school, THIS_YEAR, "primary", classes=2, class_size=40, acting_user=None)
    services.set_intake_plan(tree.other_school, THIS_YEAR, "primary", classes=3, class_size=45, acting_user=None)
    services.set_intake_plan(tree.school, THIS_YEAR - 1, "primary", classes=9, class_size=40, acting_user=None)
    assert selectors.indicator_value("enrollment_seats", tree.county, str(THIS_YEAR)).value == 80
    assert selectors.indicator_value("enrollment_seats", tree.city, str(THIS_YEAR)).value == 80 + 135
