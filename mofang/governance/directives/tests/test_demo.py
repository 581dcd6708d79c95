"""The demo story: a city notice forwarded by 常山县 to its schools, a closed 填报 with table rows
(one late, some overdue), an open one; principal_cs1 has to-dos."""

import random
import time

from mofang.governance.directives import reports
from mofang.governance.directives.demo import build
from mofang.governance.directives.models import Delivery, Directive
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_user


def test_the_demo_builder_is_registered():
    assert ("directives", build) in DEMO_BUILDERS


def test_the_demo_tells_the_forwarding_and_filling_story(tree):
    schools = [tree.school, tree.other_school]
    for n in range(2, 9):
        schools.append(
            add(tree.county, f"常山县第{n}小学", OrgKind.SCHOOL, f"330822000{n}", school_type=SchoolType.PRIMARY)
        )
    users = {
        "admin_qz": make_user("admin_qz", "city_admin", tree.city),
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "principal_cs1": make_user("principal_cs1", "principal", tree.school),
    }
    ctx = DemoContext(
        rng=random.Random(5), scale=1, province=tree.province, schools=schools, users=users, log=lambda *_: None
    )
    started = time.perf_counter()
    build(ctx)
    assert time.perf_counter() - started < 4  # budget 2 s; slack for a loaded CI machine
    notice = Directive.objects.get(sender_org=tree.city)
    chain = reports.chain(Delivery.objects.all(), notice)
    county_delivery = notice.deliveries.get(unit=tree.county)
    assert county_delivery.done_at and chain[county_delivery.pk]["counts"].total == 8
    child = Directive.objects.get(parent_delivery=county_delivery)
    assert child.deliveries.get(unit=tree.school).signed_at is None  # principal_cs1's 待签收
    closed = Directive.objects.get(title__contains="专任教师")
    c = reports.counts(closed.deliveries.all())
    assert c.overdue >= 1 and closed.deliveries.filter(late=True).count() == 1 and closed.locked
    mine = closed.deliveries.get(unit=tree.school)
    assert mine.done_at and not mine.late and len(mine.answer["f3"]) >= 2
    open_task = Directive.objects.get(title__contains="课后服务")
    assert open_task.deliveries.get(unit=tree.school).done_at is None
    build(ctx)  # a second run changes nothing
    assert Directive.objects.count() == 4


def test_a_small_demo_with_only_the_story_school_still_gives_the_principal_the_notice(tree):
    # `mofang demo --scale 0.02` puts one school in 常山县; the README story (principal_cs1 signs the
    # forwarded 防溺水 notice and fills the 课后服务 task) must hold there too
    users = {
        "admin_qz": make_user("admin_qz", "city_admin", tree.city),
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "principal_cs1": make_user("principal_cs1", "principal", tree.school),
    }
    ctx = DemoContext(
        rng=random.Random(5),
        scale=0.02,
        province=tree.province,
        schools=[tree.school],
        users=users,
        log=lambda *_: None,
    )
    build(ctx)
    county_delivery = Directive.objects.get(sender_org=tree.city).deliveries.get(unit=tree.county)
    child = Directive.objects.get(parent_delivery=county_delivery)
    assert child.deliveries.get(unit=tree.school).signed_at is None
    assert Directive.objects.get(title__contains="课后服务").deliveries.get(unit=tree.school).done_at is None
