"""The demo story: 学前教育 statistics drawn from the demo's own kindergartens, smart-campus ratings
of every school, values against targets."""

import random
from decimal import Decimal

from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.indicators import selectors
from mofang.platform.indicators.demo import build
from mofang.platform.indicators.models import Target
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.testing import add, make_student


def test_the_demo_builder_is_registered():
    assert ("indicators", build) in DEMO_BUILDERS


def test_the_demo_statistics_agree_with_its_own_kindergartens_and_show_values_against_targets(tree):
    kg = add(tree.county, "常山县实验幼儿园", OrgKind.SCHOOL, "3308229001", school_type=SchoolType.KINDERGARTEN)
    kg.ownership = Ownership.PUBLIC
    kg.save(update_fields=["ownership"])
    for n in range(3):
        make_student(kg, f"幼儿{n}")
    ctx = DemoContext(
        rng=random.Random(1),
        scale=1,
        province=tree.province,
        schools=[tree.school, tree.other_school],
        log=lambda *_: None,
    )
    build(ctx)
    year = str(Target.objects.first().year)
    assert selectors.indicator_value("kindergartens", tree.province, year).value == 1
    assert selectors.indicator_value("inclusive_kindergartens", tree.province, year).value == 1  # public: 普惠
    v = selectors.indicator_value("inclusive_kg_coverage", tree.province, year)
    assert (v.numerator, v.denominator, v.value) == (3, 3, Decimal("100.0"))  # its three children
    assert v.target == Decimal("90") and v.met is True
    assert selectors.indicator_value("kindergartens", tree.other_county, year).value == 0  # a count of the tree
    assert selectors.indicator_value("inclusive_kg_coverage", tree.other_county, year).value is None  # 暂无数据
    assert Target.objects.filter(org=tree.city, indicator__code="smart_campus_coverage").exists()
    count = Target.objects.count()
    build(ctx)  # a second run changes nothing
    assert Target.objects.count() == count
