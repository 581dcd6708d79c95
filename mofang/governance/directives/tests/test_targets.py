"""Target rules: the right units, never outside the sender's scope."""

import pytest
from django.core.exceptions import ValidationError

from mofang.governance.directives import services
from mofang.governance.directives.services import TargetRule
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType

pytestmark = pytest.mark.django_db


def names(units):
    return {u.name for u in units}


def test_all_primary_schools_in_a_county(zl):
    units = services.resolve_targets(zl.admin, zl.tree.county, TargetRule(school_types=[SchoolType.PRIMARY]))
    assert names(units) == {"常山县第一小学"}


def test_private_kindergartens_of_the_city(zl):
    rule = TargetRule(school_types=[SchoolType.KINDERGARTEN], ownerships=[Ownership.PRIVATE])
    assert names(services.resolve_targets(zl.city_admin, zl.tree.city, rule)) == {"常山县民办阳光幼儿园"}


def test_city_rule_by_region_picks_only_that_county(zl):
    city = services.resolve_targets(zl.city_admin, zl.tree.city, TargetRule(school_types=[SchoolType.PRIMARY]))
    assert names(city) == {"常山县第一小学", "江山市实验小学"}
    one = services.resolve_targets(
        zl.city_admin, zl.tree.city, TargetRule(regions=[zl.tree.other_county.pk], school_types=[SchoolType.PRIMARY])
    )
    assert names(one) == {"江山市实验小学"}


def test_a_county_rule_never_reaches_another_county(zl):
    # naming the other county as the region, or picking its school, reaches nothing
    rule = TargetRule(regions=[zl.tree.other_county.pk], picks=[zl.tree.other_school.pk])
    assert services.resolve_targets(zl.admin, zl.tree.county, rule) == []
    everything = services.resolve_targets(zl.admin, zl.tree.county, TargetRule())
    assert all(u.path.startswith(zl.tree.county.path) for u in everything)
    assert zl.tree.county not in everything
    ids, errors = services.find_picks(zl.admin, zl.tree.county, ["3308810001", "3308220003"])
    assert ids == [zl.junior.pk] and "第1行" in errors[0]


def test_departments_and_counties_as_targets(zl):
    deps = services.resolve_targets(zl.admin, zl.tree.county, TargetRule(kind=OrgKind.DEPARTMENT))
    assert names(deps) == {"常山县公安局"}
    counties = services.resolve_targets(zl.city_admin, zl.tree.city, TargetRule(kind=OrgKind.COUNTY))
    assert names(counties) == {"常山县", "江山市"}


def test_individual_picks_add_to_the_rule(zl):
    rule = TargetRule(school_types=[SchoolType.PRIMARY], picks=[zl.kg.pk])
    assert names(services.resolve_targets(zl.admin, zl.tree.county, rule)) == {"常山县第一小学", "常山县民办阳光幼儿园"}
    only = TargetRule(use_rule=False, picks=[zl.junior.pk])
    assert names(services.resolve_targets(zl.admin, zl.tree.county, only)) == {"常山县第一初级中学"}


def test_a_school_cannot_send(zl):
    with pytest.raises(ValidationError):
        services.resolve_targets(zl.principal, zl.tree.school, TargetRule())


def test_sending_from_a_county_one_is_not_a_member_of_is_refused(zl):
    from .conftest import send

    with pytest.raises(ValidationError) as exc:
        send(zl, by=zl.other_admin, org=zl.tree.county)
    assert "发文单位" in exc.value.messages[-1]
