"""The demo story: 常山县's inspectors meet the staffing rules and the notices sit in every state."""

import random

from mofang.governance.supervision.compliance import county_report
from mofang.governance.supervision.demo import build
from mofang.governance.supervision.models import Inspector, Rectification
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_user


def test_the_demo_builder_is_registered():
    assert ("supervision", build) in DEMO_BUILDERS


def test_the_demo_staffs_changshan_by_the_rules_and_fills_the_loop(tree):
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
    ctx = DemoContext(
        rng=random.Random(3), scale=1, province=tree.province, schools=schools, users=users, log=lambda *_: None
    )
    build(ctx)
    report, facts = county_report(tree.county)
    assert report.inspectors == 2 and report.compliant, report.violations
    lead = Inspector.objects.get(user=users["inspector_cs"])
    assert tree.school.pk in facts["current"][lead.pk]
    states = sorted(r.case.state_label for r in Rectification.objects.select_related("case"))
    assert states == ["已销号", "待整改", "待核查", "整改中"]
    assert Rectification.objects.filter(published=True).count() == 1
    assert Rectification.objects.filter(case__supervised_at__isnull=False, major=True).count() == 1
    build(ctx)  # a second run changes nothing
    assert Rectification.objects.count() == 4


def test_a_small_demo_with_only_the_story_school_still_fills_the_loop(tree):
    # `mofang demo --scale 0.02` puts one school in 常山县: its visit and notices are still made
    users = {
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "inspector_cs": make_user("inspector_cs", "inspector", tree.county, full_name="徐督学"),
        "principal_cs1": make_user("principal_cs1", "principal", tree.school),
    }
    ctx = DemoContext(
        rng=random.Random(3),
        scale=0.02,
        province=tree.province,
        schools=[tree.school],
        users=users,
        log=lambda *_: None,
    )
    build(ctx)
    states = sorted(r.case.state_label for r in Rectification.objects.select_related("case"))
    assert states == ["已销号", "待核查", "整改中"]
