"""督学配比达标率 as the indicators core computes it from this module's facts agrees with the
module's own county report (compliance.py)."""

import random
from decimal import Decimal

from django.utils import timezone

from mofang.governance.supervision.compliance import county_report
from mofang.governance.supervision.demo import build as build_supervision
from mofang.governance.supervision.models import Inspector
from mofang.platform.demo.registry import DemoContext
from mofang.platform.indicators import selectors
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_user

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


def test_inspector_staffing_rate_follows_the_supervision_rules(tree):
    schools = [tree.school, tree.other_school]
    for n in range(2, 9):
        schools.append(
            add(tree.county, f"常山县第{n}小学", OrgKind.SCHOOL, f"330822000{n}", school_type=SchoolType.PRIMARY)
        )
    users = {
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "inspector_cs": make_user("inspector_cs", "inspector", tree.county, full_name="徐督学"),
        "principal_cs1": make_user("principal_cs1", "principal", tree.school),
    }
    build_supervision(
        DemoContext(
            rng=random.Random(3), scale=1, province=tree.province, schools=schools, users=users, log=lambda *_: None
        )
    )
    # 江山 keeps a roster of one part-time inspector for its school: short of the rules
    Inspector.objects.create(name="江督学", county=tree.other_county)
    assert county_report(tree.county)[0].compliant and not county_report(tree.other_county)[0].compliant
    assert selectors.indicator_value("inspector_staffing_rate", tree.county, THIS_YEAR).value == Decimal("100.0")
    v = selectors.indicator_value("inspector_staffing_rate", tree.city, THIS_YEAR)
    assert (v.numerator, v.denominator, v.value) == (1, 2, Decimal("50.0"))  # 常山 meets the rules, 江山 does not
