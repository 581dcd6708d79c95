"""Concurrent claims of one case from the department's queue: exactly one wins (row lock)."""

import pytest
from django.db import connection

from mofang.platform.cases import services
from mofang.platform.cases.models import Case
from mofang.platform.testing import make_user, race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_exactly_one_wins(report, world):
    case = report()
    liaisons = [world.liaison, world.liaison2] + [
        make_user(f"liaison_x{i}", "dept_liaison", world.dept, full_name=f"联络员{i}") for i in range(4)
    ]
    outcomes = race([lambda u=u: services.claim(case, acting_user=u) for u in liaisons])
    assert outcomes.count("ok") == 1
    winner = liaisons[outcomes.index("ok")]
    assert all(o == f"该案件已由{winner}认领" for o in outcomes if o != "ok")
    case = Case.objects.get(pk=case.pk)
    assert case.claimed_by == winner
    assert case.events.filter(kind="claim").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_fire_once(report, world):
    case = report()
    services.claim(case, acting_user=world.liaison)
    services.fire(case, "start", acting_user=world.liaison)
    services.fire(case, "resolve", acting_user=world.liaison, comment="已处置")
    principal2 = make_user("principal2", "principal", world.tree.school, full_name="副校长")
    outcomes = race(
        [
            lambda: services.fire(case, "confirm", acting_user=world.principal),
            lambda: services.fire(case, "confirm", acting_user=principal2),
            lambda: services.fire(case, "send_back", acting_user=principal2, comment="未整改到位"),
        ]
    )
    assert outcomes.count("ok") == 1
    case = Case.objects.get(pk=case.pk)
    assert case.events.filter(kind="transition").count() == 3
