"""A double tap on 提交申请 files one application (and one case); two handlers pressing 同意接收 at
once move the child once (the case row lock). PostgreSQL."""

import pytest
from django.db import connection

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.people.models import RollEvent
from mofang.platform.testing import build_tree, make_user, race

from ..models import Application
from ..testing import apply_for, parent_of, service

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.fixture
def world(transactional_db):
    sync_roles()
    tree = build_tree()
    parent, child = parent_of(tree.school, "并发")
    service("roll_certificate")  # the seed catalogue (the flush of a transactional test removed it)
    return tree, parent, child


def test_a_double_submit_files_one_application(world):
    tree, parent, child = world
    outcomes = race([lambda: apply_for("roll_certificate", parent, child) for _ in range(3)])
    assert outcomes.count("ok") == 1, outcomes
    assert all("已有一件学籍证明申请在办理中" in o for o in outcomes if o != "ok"), outcomes
    assert Application.objects.count() == 1 and Case.objects.count() == 1


def test_two_receiving_handlers_move_the_child_once(world):
    tree, parent, child = world
    school_head = make_user("cc_head", "academic", tree.school)
    a, b = make_user("cc_in1", "academic", tree.other_school), make_user("cc_in2", "principal", tree.other_school)
    county, other = (
        make_user("cc_c1", "county_admin", tree.county),
        make_user("cc_c2", "county_admin", tree.other_county),
    )
    app = apply_for("transfer", parent, child, target_school=tree.other_school)
    for user, t in ((school_head, "accept"), (school_head, "agree_out"), (county, "bureau_out"), (other, "bureau_in")):
        cases.fire(Case.objects.get(pk=app.case_id), t, acting_user=user)
    outcomes = race(
        [lambda u=u: cases.fire(Case.objects.get(pk=app.case_id), "receive", acting_user=u) for u in (a, b)]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert list(RollEvent.objects.filter(student=child).values_list("kind", flat=True)).count("transfer_in") == 1


def test_a_double_submit_of_a_bundle_files_one_bundle_and_one_case(world):
    from ..models import BundleApplication, BundleStep
    from ..testing import apply_bundle_for, bundle, second_school

    tree, parent, child = world
    target = second_school(tree.county)
    bundle("transfer_bundle")  # the seed bundles, before the race (the flush removed them)
    outcomes = race(
        [lambda: apply_bundle_for("transfer_bundle", parent, child, target_school=target) for _ in range(3)]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert all("已有一件义务教育阶段学生转学申请在办理中" in o for o in outcomes if o != "ok"), outcomes
    assert BundleApplication.objects.count() == 1 and BundleStep.objects.count() == 2
    assert Application.objects.count() == 1 and Case.objects.count() == 1
