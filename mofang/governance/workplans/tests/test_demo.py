"""The demo story: 衢州市's 工作要点 with real items from seed 003 and every status on the list."""

import random

from django.utils import timezone

from mofang.governance.workplans.demo import build
from mofang.governance.workplans.models import WorkItem, WorkPlan
from mofang.governance.workplans.status import Status, evaluate_many
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user


def test_the_demo_builder_is_registered():
    assert ("workplans", build) in DEMO_BUILDERS


def test_the_demo_list_shows_reports_and_statuses(tree):
    for key in ("police", "health"):
        add(tree.county, f"常山县{key}", OrgKind.DEPARTMENT, f"330822-{key}")
    users = {
        "admin_qz": make_user("admin_qz", "city_admin", tree.city),
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "principal_cs1": make_user("principal_cs1", "principal", tree.school),
    }
    ctx = DemoContext(
        rng=random.Random(3), scale=1, province=tree.province, schools=[tree.school], users=users, log=lambda *_: None
    )
    build(ctx)
    plan = WorkPlan.objects.get()
    assert plan.name == f"衢州市教育局{timezone.localdate().year}年工作要点"
    items = list(WorkItem.objects.filter(plan=plan).select_related("plan", "plan__owner", "lead_unit"))
    assert len(items) == 12
    assert any("公办幼儿园在园幼儿占比达46%" in i.target_text for i in items)
    evs = evaluate_many(items)
    statuses = {i.number: evs[i.pk].status for i in items}
    assert statuses[21] == Status.NOT_STARTED
    assert statuses[24] == Status.EXCEEDED
    assert statuses[38] == Status.BEHIND
    assert statuses[15] == Status.ON_TRACK and statuses[11] == Status.ON_TRACK and statuses[33] == Status.ON_TRACK
    build(ctx)  # a second run changes nothing
    assert WorkPlan.objects.count() == 1
