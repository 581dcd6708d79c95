"""时间银行教师覆盖率, shipped by this module over its facts: teachers with an account ÷ staff."""

from decimal import Decimal

from django.utils import timezone

from mofang.governance.timebank.models import Account, Bank
from mofang.platform.indicators import selectors
from mofang.platform.testing import make_staff

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


def test_timebank_coverage_counts_teachers_with_an_account(tree):
    bank = Bank.objects.create(school=tree.school, started_on="2026-09-01")
    staff = [make_staff(tree.school, f"教师{i}", phone=f"1380000000{i}") for i in range(4)]
    for s in staff[:3]:
        Account.objects.create(bank=bank, staff=s)
    v = selectors.indicator_value("timebank_coverage", tree.county, THIS_YEAR)
    assert (v.numerator, v.denominator, v.value) == (3, 4, Decimal("75.0"))


def test_timebank_coverage_counts_only_full_time_teachers_on_both_sides(tree):
    from mofang.platform.people.models import StaffCategory

    bank = Bank.objects.create(school=tree.school, started_on="2026-09-01")
    teachers = [make_staff(tree.school, f"教师{i}", phone=f"1380000000{i}") for i in range(2)]
    office = make_staff(tree.school, "行政人员", category=StaffCategory.ADMIN)
    make_staff(tree.school, "工勤人员", category=StaffCategory.WORKER)
    for s in (teachers[0], office):  # the office worker's account does not count: 1 of 2 teachers
        Account.objects.create(bank=bank, staff=s)
    v = selectors.indicator_value("timebank_coverage", tree.county, THIS_YEAR)
    assert (v.numerator, v.denominator, v.value) == (1, 2, Decimal("50.0"))
