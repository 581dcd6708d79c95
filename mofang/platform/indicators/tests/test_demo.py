"""The demo story: Ningbo's 普惠 coverage and smart-campus ratings against targets."""

import random
from decimal import Decimal

from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.indicators import selectors
from mofang.platform.indicators.demo import build
from mofang.platform.indicators.models import Target
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add


def test_the_demo_builder_is_registered():
    assert ("indicators", build) in DEMO_BUILDERS


def test_the_demo_shows_values_against_targets(tree):
    ningbo = add(tree.province, "宁波市", OrgKind.CITY, "330200")
    ctx = DemoContext(
        rng=random.Random(1),
        scale=1,
        province=tree.province,
        schools=[tree.school, tree.other_school],
        log=lambda *_: None,
    )
    build(ctx)
    v = selectors.indicator_value("inclusive_kg_coverage", ningbo, str(Target.objects.first().year))
    assert v.value == Decimal("90.8") and v.target == Decimal("90") and v.met is True
    assert Target.objects.filter(org=tree.city, indicator__code="smart_campus_coverage").exists()
    count = Target.objects.count()
    build(ctx)  # a second run changes nothing
    assert Target.objects.count() == count
