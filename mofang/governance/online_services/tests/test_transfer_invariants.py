"""Whatever anyone presses, in any order: a transfer's case is always at the unit its state names,
the child's roll changes only on the receiving school's final 同意接收 and then exactly once, and a
returned transfer leaves the roll as it was (hypothesis over sequences of attempted steps)."""

import contextlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.people.models import RollEvent
from mofang.platform.testing import make_user

from ..testing import apply_for, parent_of, service

pytestmark = pytest.mark.django_db

CODES = ("accept", "agree_out", "bureau_out", "bureau_in", "receive", "return")


@pytest.fixture
def w(tree):
    service("transfer")
    users = [
        make_user("iv_s1", "academic", tree.school),
        make_user("iv_c1", "county_admin", tree.county),
        make_user("iv_c2", "county_admin", tree.other_county),
        make_user("iv_s2", "principal", tree.other_school),
        make_user("iv_x", "teacher", tree.school),
    ]
    return tree, users


# the four units' own steps in order, with any attempts by anyone (a 退回 among them) in between:
# most sequences reach 办结, some are returned on the way, all are tried out of turn
HAPPY = ((0, "accept"), (0, "agree_out"), (1, "bureau_out"), (2, "bureau_in"), (3, "receive"))
NOISE = st.lists(st.tuples(st.integers(0, 4), st.sampled_from(CODES)), max_size=2)
STEPS = st.tuples(*[NOISE for _ in range(len(HAPPY) + 1)]).map(
    lambda noises: [step for i, noise in enumerate(noises) for step in (*noise, *HAPPY[i : i + 1])]
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_roll_moves_once_and_only_at_the_end(w, steps):
    tree, users = w
    with transaction.atomic():
        parent, child = parent_of(tree.school, "iv")
        app = apply_for("transfer", parent, child, target_school=tree.other_school)
        at = {
            "submitted": tree.school,
            "reviewing": tree.school,
            "out_bureau": tree.county,
            "in_bureau": tree.other_county,
            "in_school": tree.other_school,
        }
        for who, code in steps:
            case = Case.objects.get(pk=app.case_id)
            with contextlib.suppress(ValidationError, PermissionDenied):  # refused: nothing changes
                cases.fire(case, code, acting_user=users[who], comment="理由")
            case = Case.objects.get(pk=app.case_id)
            child.refresh_from_db()
            moved = RollEvent.objects.filter(student=child, kind="transfer_in").count()
            if case.state in at:
                assert case.responsible_org_id == at[case.state].pk
            if case.state == "done":
                assert (child.school_id, moved) == (tree.other_school.pk, 1)
            else:
                assert (child.school_id, moved) == (tree.school.pk, 0)
        transaction.set_rollback(True)
