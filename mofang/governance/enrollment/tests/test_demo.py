"""The demo story: 常山县's schools get 学区, plans and children whose warnings mix the colours;
then the next intake's registrations and a published draw, and the 公证员 demo login."""

import random

from django.db import transaction
from django.test import Client, RequestFactory

from mofang.governance.enrollment import draws, menu, priority, registration
from mofang.governance.enrollment.demo import CATEGORIES, NOTARY, build
from mofang.governance.enrollment.models import (
    Community,
    Draw,
    DrawStatus,
    HouseholdChild,
    IntakeWarning,
    Level,
    Registration,
)
from mofang.platform.accounts.models import Membership, User
from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.demo.services import build_demo
from mofang.platform.demo.story import all_logins, logins_table
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.testing import add


def test_the_demo_builder_is_registered():
    assert ("enrollment", build) in DEMO_BUILDERS


def test_the_demo_gives_changshan_green_yellow_and_red_warnings(tree):
    schools = [tree.school, tree.other_school]
    for n in range(2, 5):
        schools.append(
            add(tree.county, f"常山县第{n}小学", OrgKind.SCHOOL, f"330822000{n}", school_type=SchoolType.PRIMARY)
        )
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


def _changshan(tree, *, private=False):
    schools = [tree.school]
    for n in range(2, 4):
        schools.append(
            add(tree.county, f"常山县第{n}小学", OrgKind.SCHOOL, f"330822000{n}", school_type=SchoolType.PRIMARY)
        )
    if private:
        schools.append(
            add(
                tree.county,
                "常山县育才小学",
                OrgKind.SCHOOL,
                "3308220008",
                school_type=SchoolType.PRIMARY,
                ownership=Ownership.PRIVATE,
            )
        )
    return DemoContext(rng=random.Random(7), scale=1, province=tree.province, schools=schools, log=lambda *_: None)


def test_the_demo_registers_children_and_publishes_a_draw_that_reverifies(tree):
    build(_changshan(tree, private=True))
    year = registration.registration_year()
    d = Draw.objects.get(county=tree.county, year=year, stage="primary")
    assert d.status == DrawStatus.PUBLISHED and d.seed
    regs = Registration.objects.filter(community__county=tree.county, year=year)
    assert regs.count() > 100
    # every registration has exactly one result, and re-running from the public seed agrees
    assert sorted(d.admissions.values_list("registration_id", flat=True)) == sorted(regs.values_list("pk", flat=True))
    assert draws.verify_draw(d) == []
    assert [c.name for c in priority.categories_of(tree.county, year)] == [c["name"] for c in CATEGORIES]
    # twins are registered bound and admitted together or not at all
    groups = {}
    for a in d.admissions.exclude(registration__multiple_group=""):
        groups.setdefault(a.registration.multiple_group, set()).add(a.school_id)
    assert groups and all(len(schools) == 1 for schools in groups.values())
    assert regs.exclude(sibling_school=None).exists()
    # 常山县 has a private school here, so some parents chose it (公民同招)
    assert regs.filter(private_school__code="3308220008").exists()
    assert d.admissions.filter(school__code="3308220008").exists()
    # the demo parents are parent accounts (phone login), one per family
    assert {m.role.code for r in regs[:20] for m in r.owner.active_memberships()} == {"parent"}
    # the notary login sits at 常山县
    notary = User.objects.get(username=NOTARY.username)
    assert has_perm_at(notary, "enrollment.enter_seed", tree.county)
    assert not has_perm_at(notary, "enrollment.run_draw", tree.county)
    assert NOTARY in all_logins() and "notary_cs" in logins_table() and "公证员" in logins_table()
    # ... and finds the 小升初 draw waiting for its seed among 我的待办, linking to it
    waiting = Draw.objects.get(county=tree.county, stage="junior")
    assert waiting.status == DrawStatus.DRAFT
    request = RequestFactory().get("/")
    request.user = notary
    [todo] = menu.todos(request)
    assert todo.url == f"/enrollment/manage/draws/{waiting.pk}/" and "待录入随机种子" in todo.title


def test_a_county_without_a_private_school_registers_public_choices_only(tree):
    build(_changshan(tree))
    assert Registration.objects.exists() and not Registration.objects.exclude(private_school=None).exists()
    # the school with the fewest seats is oversubscribed: some children are 未录取
    d = Draw.objects.get(county=tree.county, stage="primary")
    assert d.admissions.filter(school=None).exists() and d.admissions.exclude(school=None).exists()


def _snapshot():
    d = Draw.objects.get(county__code="330822", stage="primary")
    regs = Registration.objects.filter(community__county=d.county).order_by("id_number_hash")
    return (
        d.seed,
        d.status,
        list(
            regs.values_list(
                "child_name",
                "id_number_hash",
                "public_school__code",
                "registration_type",
                "residence_proof",
                "sibling_student_no",
                "multiple_group",
                "owner__phone",
            )
        ),
    )


def test_the_demo_parent_is_admitted_and_the_demo_repeats_for_a_seed(db):
    with transaction.atomic():
        build_demo(scale=0.02, seed=7, log=lambda *_: None)
        first = _snapshot()
        parent = User.objects.get(username="parent_cs1")
        (reg,) = Registration.objects.filter(owner=parent)
        assert reg.sibling_school.code == "3308220001" and reg.registration_type == "household"
        assert registration.admission_status(reg) == "已录取：常山县第一小学"
        d = Draw.objects.get(county__code="330822", stage="primary")
        assert d.status == DrawStatus.PUBLISHED and draws.verify_draw(d) == []
        assert d.admissions.count() == Registration.objects.filter(community__county=d.county).count()
        assert Membership.objects.filter(user__username="notary_cs", role__code="notary", org=d.county).exists()
        transaction.set_rollback(True)
    with transaction.atomic():
        build_demo(scale=0.02, seed=7, log=lambda *_: None)
        assert _snapshot() == first
        transaction.set_rollback(True)
    with transaction.atomic():
        build_demo(scale=0.02, seed=8, log=lambda *_: None)
        assert _snapshot()[2] != first[2]
        transaction.set_rollback(True)
