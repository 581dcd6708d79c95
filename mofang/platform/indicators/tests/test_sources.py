"""The shipped fact sources agree with their modules' own rules and records."""

from django.utils import timezone
import random
from decimal import Decimal

from mofang.governance.supervision.compliance import county_report
from mofang.governance.supervision.demo import build as build_supervision
from mofang.platform.demo.registry import DemoContext
from mofang.platform.indicators import selectors
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_staff, make_user


# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)

def test_inspector_staffing_rate_follows_the_supervision_rules(tree):
    schools = [tree.school, tree.other_school]
    for n in range(2, 9):
        schools.append(add(tree.county, f"常山县第{n}小学", OrgKind.SCHOOL, f"330822000{n}",
                           school_type=SchoolType.PRIMARY))
    users = {"admin_cs": make_user("admin_cs", "county_admin", tree.county),
             "inspector_cs": make_user("inspector_cs", "inspector", tree.county, full_name="徐督学"),
             "principal_cs1": make_user("principal_cs1", "principal", tree.school)}
    build_supervision(DemoContext(rng=random.Random(3), scale=1, province=tree.province, schools=schools,
                                  users=users, log=lambda *_: None))
    assert county_report(tree.county)[0].compliant and not county_report(tree.other_county)[0].compliant
    assert selectors.indicator_value("inspector_staffing_rate", tree.county, THIS_YEAR).value == Decimal("100.0")
    v = selectors.indicator_value("inspector_staffing_rate", tree.city, THIS_YEAR)
    assert (v.numerator, v.denominator, v.value) == (1, 2, Decimal("50.0"))  # 常山 meets the rules, 江山 does not


def test_timebank_coverage_counts_teachers_with_an_account(tree):
    from mofang.governance.timebank.models import Account, Bank

    bank = Bank.objects.create(school=tree.school, started_on="2026-09-01")
    staff = [make_staff(tree.school, f"教师{i}", phone=f"1380000000{i}") for i in range(4)]
    for s in staff[:3]:
        Account.objects.create(bank=bank, staff=s)
    v = selectors.indicator_value("timebank_coverage", tree.county, THIS_YEAR)
    assert (v.numerator, v.denominator, v.value) == (3, 4, Decimal("75.0"))


def test_hazards_are_refreshed_incrementally_when_a_hazard_is_reported(tree):
    from mofang.governance.campus_safety import routing
    from mofang.governance.campus_safety.cases import CODE
    from mofang.platform.cases import services as cases
    from mofang.platform.indicators import analytics

    routing.save_rule(tree.county, "traffic", tree.department, acting_user=None)
    assert selectors.indicator_value("open_hazards", tree.county, THIS_YEAR).value == 0
    cases.open_case(CODE, title="校门口车辆乱停", reporting_org=tree.school, acting_user=None, category="traffic")
    out = analytics.refresh_fact("campus_safety.open_hazards", THIS_YEAR)
    assert out["mode"] == "incremental"
    assert selectors.indicator_value("open_hazards", tree.county, THIS_YEAR).value == 1
    assert selectors.indicator_value("open_hazards", tree.other_county, THIS_YEAR).value == 0
