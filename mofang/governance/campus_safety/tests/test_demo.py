"""The demo story: 常山县's routing table and the first school's hazards in every state."""

import random
from collections import Counter

from django.test import Client

from mofang.platform.cases.models import Case, RouteRule
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from ..cases import CODE
from ..demo import build
from ..models import ServiceVisit


def test_the_demo_builder_is_registered():
    assert ("campus_safety", build) in DEMO_BUILDERS


def test_the_demo_routes_changshan_and_leaves_hazards_in_every_state(tree):
    fire = add(tree.county, "常山县消防救援大队", OrgKind.DEPARTMENT, "330822-fire")
    users = {
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "principal_cs1": make_user("principal_cs1", "principal", tree.school),
        "police_cs": make_user("police_cs", "dept_liaison", tree.department),
    }
    ctx = DemoContext(
        rng=random.Random(7),
        scale=1,
        province=tree.province,
        users=users,
        schools=[tree.school, tree.other_school],
        log=lambda *_: None,
    )
    build(ctx)
    rules = {r.category: r.department for r in RouteRule.objects.filter(table=CODE, county=tree.county)}
    assert rules["traffic"] == tree.department and rules["fire"] == fire and "drowning" not in rules
    states = Counter(Case.objects.values_list("state", flat=True))
    assert states == {"reported": 4, "handling": 1, "resolved": 1, "closed": 1}
    assert Case.objects.get(reopened_count=1).state == "reported"
    assert Case.objects.get(category="drowning").responsible_org == tree.county  # 待分派
    assert ServiceVisit.objects.count() == 1
    # the police login sees its queue on the list page
    c = Client()
    c.force_login(users["police_cs"])
    page = c.get("/campus_safety/").content.decode()
    assert "放学时段校门口接送车辆乱停" in page and "学校西侧池塘" not in page
    build(ctx)  # a second run changes nothing
    assert Case.objects.count() == 7
