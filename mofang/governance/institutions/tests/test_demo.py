"""The demo story: 常山县's institutions across categories and statuses, the lists, an
application waiting at 科技局, a 暗访 finding in 整改, public reports (one rewarded), a flagged charge."""

import random
import time
from collections import Counter

from django.test import Client

from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from ..demo import build
from ..models import Application, Charge, Institution, ListEntry, PublicReport
from ..selectors import whitelisted_institutions


def test_the_demo_builder_is_registered():
    assert ("institutions", build) in DEMO_BUILDERS


def test_the_demo_story(tree):
    # the core tree's department branch (generator.DEPARTMENTS) with the three approving departments
    add(tree.county, "常山县科技局", OrgKind.DEPARTMENT, "330822-tech")
    add(tree.county, "常山县文化和广电旅游体育局", OrgKind.DEPARTMENT, "330822-culture")
    users = {"admin_cs": make_user("admin_cs", "county_admin", tree.county)}
    ctx = DemoContext(
        rng=random.Random(7),
        scale=1,
        province=tree.province,
        users=users,
        schools=[tree.school, tree.other_school],
        log=lambda *_: None,
    )
    started = time.process_time()  # CPU: six test runs share two cores
    build(ctx)
    elapsed = time.process_time() - started
    statuses = Counter(Institution.objects.values_list("status", flat=True))
    assert statuses == {"normal": 6, "preparing": 1, "reviewing": 1, "rectifying": 1, "suspended": 1}
    assert set(Institution.objects.values_list("category", flat=True)) == {"subject", "tech", "arts", "sports", "other"}
    waiting = Application.objects.get(decision="")
    assert waiting.department.name == "常山县科技局"
    assert whitelisted_institutions(tree.school).count() == 4
    assert ListEntry.objects.filter(kind="black").count() == 1
    assert PublicReport.objects.filter(reward_amount__isnull=False).count() == 1
    assert Charge.objects.filter(flagged=True).count() == 1
    # the 科技局 login sees the waiting application and can decide it
    c = Client()
    c.force_login(ctx.users["keji_cs"])
    page = c.get(f"/institutions/applications/{waiting.pk}/").content.decode()
    assert "常山县未来少儿科学馆" in page and "提交审批结果" in page
    build(ctx)  # a second run changes nothing
    assert Institution.objects.count() == 10
    assert elapsed < 2.0, elapsed


def test_without_the_departments_the_county_approves_everything(tree):
    users = {"admin_cs": make_user("admin_cs", "county_admin", tree.county)}
    ctx = DemoContext(
        rng=random.Random(7), scale=1, province=tree.province, users=users, schools=[tree.school], log=lambda *_: None
    )
    build(ctx)
    assert Institution.objects.count() == 10
    assert set(Application.objects.values_list("department", flat=True)) == {tree.county.pk}
    assert "keji_cs" not in ctx.users
