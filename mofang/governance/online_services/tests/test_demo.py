"""The demo story: parent_cs1's cross-county transfer waits at 常山县教育局; the school's queue has
a 休学 to accept; a 学籍证明 was issued; handlers see their to-dos."""

import random

from django.test import Client

from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_student, make_user, todo_count

from ..demo import build
from ..models import Application, BundleApplication, Certificate, Result
from ..testing import bind


def test_the_demo_builder_is_registered():
    assert ("online_services", build) in DEMO_BUILDERS


def test_the_demo_tells_the_story(tree):
    add(tree.county, "常山县第二小学", OrgKind.SCHOOL, "3308220002", school_type=SchoolType.PRIMARY)
    users = {
        "academic_cs1": make_user("academic_cs1", "academic", tree.school),
        "admin_cs": make_user("admin_cs", "county_admin", tree.county),
        "admin_js": make_user("admin_js", "county_admin", tree.other_county),
        "parent_cs1": make_user("parent_cs1", "parent", tree.school),
    }
    bind(users["parent_cs1"], make_student(tree.school, "主角"))
    for n in range(5):
        child = make_student(tree.school, f"同学{n}")
        from mofang.platform.people.models import Guardian, Guardianship

        g = Guardian(name=f"家长{n}")
        g.set_phone(f"1370000000{n}")
        g.save()
        Guardianship.objects.create(guardian=g, student=child, relation="母亲")
    ctx = DemoContext(
        rng=random.Random(5), scale=1, province=tree.province, schools=[], users=users, log=lambda *_: None
    )
    build(ctx)
    mine = Application.objects.get(applicant=users["parent_cs1"])
    assert (mine.case.state, mine.case.responsible_org) == ("out_bureau", tree.county)
    assert mine.target_school == tree.other_school
    assert Application.objects.count() == 7  # 5, and the two steps of a 转学一件事
    ba = BundleApplication.objects.get()
    first, second = ba.steps.order_by("position")
    assert first.application.result == Result.DONE and second.application.case.state == "submitted"
    assert second.application.case.responsible_org.name == "常山县第二小学"
    assert Application.objects.filter(result=Result.RETURNED).count() == 1
    assert Certificate.objects.count() == 1
    c = Client()
    c.force_login(users["admin_cs"])
    assert todo_count(c, "待办理的一网通办申请") == 1
    c.force_login(users["academic_cs1"])
    assert todo_count(c, "待办理的一网通办申请") == 2  # the 休学 and the 在读证明
    c.force_login(users["parent_cs1"])
    assert "待转出地教育局审核" in c.get("/online_services/mine/").content.decode()
