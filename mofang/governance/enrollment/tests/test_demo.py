"""The demo story: 常山县's schools get 学区, plans and children whose warnings mix the colours."""

import random

from django.test import Client

from mofang.governance.enrollment.demo import build
from mofang.governance.enrollment.models import Community, HouseholdChild, IntakeWarning, Level
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add


def test_the_demo_builder_is_registered():
    assert ("enrollment", build) in DEMO_BUILDERS


def test_the_demo_gives_changshan_green_yellow_and_red_warnings(tree):
    schools = [tree.school, tree.other_school]
    for n in range(2, 5):
        schools.append(add(tree.county, f"常山县第{n}小学", OrgKind.SCHOOL, f"330822000{n}",
                           school_type=SchoolType.PRIMARY))
    schools.append(add(tree.county, "常山县实验初级中学", OrgKind.SCHOOL, "3308220010", school_type=SchoolType.JUNIOR))
    ctx = DemoContext(rng=random.Random(7), scale=1, province=tree.province, schools=schools, log=lambda *_: None)
    build(ctx)
    assert Community.objects.filter(county=tree.county).count() == 12
    assert not Community.objects.filter(county=tree.other_county).exists()
    levels = set(IntakeWarning.objects.values_list("level", flat=True))
    assert {Level.GREEN, Level.YELLOW, Level.RED} <= levels
    assert HouseholdChild.objects.count() > 0
    junior = IntakeWarning.objects.filter(school__code="3308220010")
    assert junior.count() == 3 and all(w.seats for w in junior)
    body = Client().get(f"/enrollment/schools/{tree.school.pk}/").content.decode()
    assert "分流" in body and "学区范围" in body
    build(ctx)  # a second run changes nothing
    assert Community.objects.filter(county=tree.county).count() == 12
