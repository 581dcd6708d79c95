"""招生类别: a county's ordered rules put each registration in the first category it meets for
the school in question."""

import pytest
from django.core.exceptions import ValidationError

from mofang.governance.enrollment import priority, services
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.audit.models import AuditEntry

from .conftest import born
from .test_registration import _submit, child_id

HANGZHOU_LIKE = [
    {"name": "第一类：户籍与房产均在学区", "conditions": {"household_in_district": True, "property_in_district": True}},
    {"name": "第二类：长幼随学", "conditions": {"sibling_at_school": True}},
    {"name": "第三类：户籍在学区、无学区房产", "conditions": {"household_in_district": True}},
    {"name": "第四类：随迁子女在学区居住", "conditions": {"permit": True, "in_district": True}},
]


@pytest.fixture
def rules(district):
    return priority.set_categories(district.tree.county, district.years[0], HANGZHOU_LIKE, acting_user=district.admin)


def _reg(d, seq, **kw):
    return _submit(d, parent_user_for(f"139000011{seq[-2:]}"), child_id(born("primary", d.years[0]), seq), **kw)[0]


def test_household_and_property_in_district_is_the_first_category(district, rules):
    r = _reg(district, "111")
    assert priority.category_for(r, district.primary).name.startswith("第一类")


def test_rent_in_district_falls_to_the_third_category_and_a_sibling_lifts_it_to_the_second(district, rules):
    assert priority.category_for(_reg(district, "113", residence_proof="rent"), district.primary).rank == 3
    sib = _reg(district, "115", residence_proof="rent", sibling_school=district.primary)
    assert priority.category_for(sib, district.primary).rank == 2


def test_migrant_children_in_district_are_the_fourth_category(district, rules):
    r = _reg(district, "117", registration_type="permit", residence_proof="rent")
    assert priority.category_for(r, district.primary).rank == 4


def test_the_category_depends_on_the_school(district, rules):
    r = _reg(district, "119")
    # 杭州小学's 学区 does not include 定阳花园: no category there
    assert priority.category_for(r, district.hz) is None
    assert priority.categories_for_school(district.primary, [r], district.tree.county, district.years[0]) == {
        r.pk: rules[0]
    }


def test_rules_are_replaced_in_order_and_audited(district, rules):
    new = priority.set_categories(
        district.tree.county, district.years[0], HANGZHOU_LIKE[::-1], acting_user=district.admin
    )
    assert [c.rank for c in new] == [1, 2, 3, 4] and new[0].name.startswith("第四类")
    assert AuditEntry.objects.filter(summary__contains="招生类别").count() == 2
    assert services.intake_years()[0] == district.years[0]


def test_unknown_conditions_are_refused_in_chinese(district):
    with pytest.raises(ValidationError, match="未知条件"):
        priority.set_categories(
            district.tree.county,
            district.years[0],
            [{"name": "第一类", "conditions": {"owns_a_car": True}}],
            acting_user=district.admin,
        )
    with pytest.raises(ValidationError, match="缺少名称"):
        priority.set_categories(
            district.tree.county, district.years[0], [{"name": " ", "conditions": {}}], acting_user=district.admin
        )
