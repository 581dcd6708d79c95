"""课后服务教师参与率, shipped by this module (indicators.py) over the facts of facts.py: teachers
with a course this term over the staff of compulsory-education schools."""

from decimal import Decimal

from django.utils import timezone

from mofang.platform.indicators import selectors
from mofang.platform.indicators.catalogue import SHIPPED_RULES
from mofang.platform.testing import make_staff

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


def test_the_teacher_rate_counts_teachers_with_a_course_over_all_staff(tree, courses):
    make_staff(tree.school, "未开课的老师", phone="13905700009")
    v = selectors.indicator_value("afterschool_teacher_rate", tree.county, THIS_YEAR)
    assert (v.numerator, v.denominator, v.value) == (2, 3, Decimal("66.7"))


def test_the_module_ships_its_validation_rules():
    rule = SHIPPED_RULES["afterschool_students_within_roll"]
    assert (rule.left, rule.operator, rule.right) == ("afterschool.students_participating", "<=", "people.students")


def test_the_teacher_rate_denominator_counts_only_full_time_teachers(tree, courses):
    from mofang.platform.people.models import StaffCategory

    make_staff(tree.school, "未开课的老师", phone="13905700009")
    make_staff(tree.school, "门卫", phone="13905700008", category=StaffCategory.WORKER)
    v = selectors.indicator_value("afterschool_teacher_rate", tree.county, THIS_YEAR)
    assert (v.numerator, v.denominator) == (2, 3)
