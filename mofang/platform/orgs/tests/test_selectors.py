"""county_of: the 区县 any unit belongs to — the one rule every module routes and counts by."""

from mofang.platform.orgs.models import OrgKind
from mofang.platform.orgs.selectors import county_of
from mofang.platform.testing import add


def test_every_unit_below_a_county_belongs_to_it_and_a_county_to_itself(tree):
    police = tree.department
    brigade = add(police, "常山县公安局交警大队", OrgKind.DEPARTMENT)
    for unit in (tree.county, tree.school, tree.klass, police, brigade):
        assert county_of(unit) == tree.county, unit.name
    assert county_of(tree.other_school) == tree.other_county


def test_a_city_a_province_and_no_unit_belong_to_no_county(tree):
    assert county_of(tree.city) is None
    assert county_of(tree.province) is None
    assert county_of(None) is None


def test_the_county_is_found_in_at_most_one_query(tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert county_of(tree.klass) == tree.county
    with django_assert_max_num_queries(0):
        assert county_of(tree.county) == tree.county
