"""预收费资金监管: exactly at the limit is allowed, one more month or lesson is flagged; the
limit is the nearest region's own."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from .. import services

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    "months,lessons,flagged", [(3, 60, False), (1, 1, False), (4, 60, True), (3, 61, True), (12, 96, True)]
)
def test_the_default_limit_boundary(world, approved, months, lessons, flagged):
    inst = approved()
    c = services.record_charge(
        inst, acting_user=world.admin, student_name="李明", amount="2400", lessons=lessons, months=months, paid_on=TODAY
    )
    assert c.flagged is flagged
    assert bool(c.flag_reason) is flagged


def test_flag_reason_names_what_is_over():
    assert services.flag_reason(4, 61, (3, 60)) == "预收4个月，超过3个月；预收61课时，超过60课时"
    assert services.flag_reason(3, 60, (3, 60)) == ""


@given(
    months=st.integers(1, 50),
    lessons=st.integers(1, 500),
    max_months=st.integers(1, 24),
    max_lessons=st.integers(1, 500),
)
def test_flagged_exactly_when_over_either_limit(months, lessons, max_months, max_lessons):
    flagged = bool(services.flag_reason(months, lessons, (max_months, max_lessons)))
    assert flagged == (months > max_months or lessons > max_lessons)


def test_a_county_limit_overrides_the_city_and_the_default(world, approved):
    inst = approved()
    assert services.limit_for(world.county) == (3, 60)
    services.set_fee_limit(world.tree.city, acting_user=None, max_months=2, max_lessons=40)
    assert services.limit_for(world.county) == (2, 40)
    services.set_fee_limit(world.county, acting_user=world.admin, max_months=6, max_lessons=100)
    assert services.limit_for(world.county) == (6, 100)
    assert services.limit_for(world.other_county) == (2, 40)
    c = services.record_charge(
        inst, acting_user=world.admin, student_name="王小雨", amount="3000", lessons=100, months=6, paid_on=TODAY
    )
    assert not c.flagged


def test_bad_charges_are_refused_with_the_field(world, approved):
    inst = approved()
    for kw, field in (
        ({"amount": "abc"}, "amount"),
        ({"lessons": "0"}, "lessons"),
        ({"months": "x"}, "months"),
        ({"paid_on": TODAY + dt.timedelta(days=1)}, "paid_on"),
    ):
        args = {"student_name": "李明", "amount": "100", "lessons": 10, "months": 1, "paid_on": TODAY, **kw}
        with pytest.raises(ValidationError) as exc:
            services.record_charge(inst, acting_user=world.admin, **args)
        assert field in exc.value.message_dict


def test_account_number_must_be_digits(world, approved):
    inst = approved()
    with pytest.raises(ValidationError, match="监管账号"):
        services.save_fee_account(inst, acting_user=world.admin, bank="农商银行", account_no="ABC")
    acc = services.save_fee_account(inst, acting_user=world.admin, bank="农商银行", account_no="6222 0000 1111 2222")
    assert acc.account_no == "6222000011112222"
