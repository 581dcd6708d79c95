"""Routing by category and county (分派规则) and who sees a routed hazard."""

import pytest
from django.core.exceptions import ValidationError

from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import routing
from mofang.platform.cases.models import Case, RouteRule

from ..cases import CODE, ROUTES, is_unassigned
from ..roles import VIEW


def test_a_traffic_hazard_goes_to_the_police_a_fire_hazard_to_the_fire_brigade(world, report):
    assert report("traffic").responsible_org == world.police
    assert report("fire").responsible_org == world.fire


def test_the_same_category_in_another_county_goes_to_that_county_department(world, report):
    case = report("traffic", school=world.tree.other_school, user=world.other_principal)
    assert case.responsible_org == world.other_police


def test_a_category_without_a_rule_waits_in_the_county_queue_as_unassigned(world, report):
    case = report("food")
    assert case.responsible_org == world.county
    assert is_unassigned(case)


def test_the_county_catch_all_rule_takes_categories_without_their_own(world, report):
    routing.save_rule(ROUTES, world.county, "", world.fire, acting_user=world.admin)
    assert report("food").responsible_org == world.fire
    assert report("traffic").responsible_org == world.police  # its own rule still wins


def test_changing_a_rule_routes_new_hazards_only_and_is_audited(world, report):
    first = report("traffic")
    routing.save_rule(ROUTES, world.county, "traffic", world.fire, acting_user=world.admin, note="试点")
    assert report("traffic").responsible_org == world.fire
    first.refresh_from_db()
    assert first.responsible_org == world.police
    assert RouteRule.objects.filter(table=CODE, county=world.county, category="traffic").count() == 1
    entry = AuditEntry.objects.filter(summary__contains="分派规则：交通拥堵/上下学秩序 → 常山县消防救援大队").get()
    assert entry.before["department"] == world.police.pk and entry.actor == world.admin


def test_a_department_in_another_county_never_sees_the_case(world, report):
    case = report("traffic")
    assert not Case.objects.visible_to(world.other_police1, VIEW).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(world.other_admin, VIEW).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(world.police1, VIEW).filter(pk=case.pk).exists()


def test_a_department_sees_only_the_cases_routed_to_it(world, report):
    traffic, fire = report("traffic"), report("fire")
    assert set(Case.objects.visible_to(world.police1, VIEW).filter(case_type=CODE)) == {traffic}
    assert set(Case.objects.visible_to(world.fireman, VIEW).filter(case_type=CODE)) == {fire}
    # the school and the county see both
    assert set(Case.objects.visible_to(world.principal, VIEW)) == {traffic, fire}
    assert set(Case.objects.visible_to(world.admin, VIEW)) == {traffic, fire}


@pytest.mark.parametrize(
    "field,kwargs",
    [
        ("department", {"department": "other_police"}),
        ("department", {"department": "school"}),
        ("category", {"category": "meteor"}),
        ("county", {"user": "other_admin"}),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(world, field, kwargs):
    department = getattr(world, kwargs.get("department", "police"))
    user = getattr(world, kwargs.get("user", "admin"))
    with pytest.raises(ValidationError) as err:
        routing.save_rule(ROUTES, world.county, kwargs.get("category", "traffic"), department, acting_user=user)
    assert field in err.value.message_dict
    assert RouteRule.objects.get(table=CODE, county=world.county, category="traffic").department == world.police


def test_a_principal_cannot_keep_the_routing_table(world):
    with pytest.raises(ValidationError):
        routing.save_rule(ROUTES, world.county, "food", world.fire, acting_user=world.principal)
