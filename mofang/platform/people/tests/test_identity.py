import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from mofang.platform.people import identity
from mofang.platform.testing import make_id_number


def test_known_valid_number_passes_and_lowercase_x_is_normalised():
    # 11010519491231002X is the standard's own worked example.
    assert identity.validate_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1101051949123100", "身份证号应为18位"),
        ("11010519491231002A", "身份证号前17位须为数字，末位为数字或X"),
        ("110105194902300021", "身份证号中的出生日期无效"),
        ("110105194912310021", "身份证号校验位错误"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(value, reason):
    with pytest.raises(ValidationError) as exc:
        identity.validate_id_number(value)
    assert exc.value.messages == [reason]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2020, 12, 31)), st.sampled_from("MF"))
def test_generated_numbers_validate_and_carry_birth_date_and_sex(birth, sex):
    v = make_id_number(birth.strftime("%Y%m%d"), sex)
    assert identity.validate_id_number(v) == v
    assert identity.id_birth_date(v) == birth
    assert identity.id_sex(v) == sex


def test_masks_show_only_ends():
    assert identity.mask_id_number("33010519491231002X") == "3301**********002X"
    assert identity.mask_mobile("13812345678") == "138****5678"


@pytest.mark.parametrize("value", ["1381234567", "23812345678", "1281234567a"])
def test_bad_mobiles_are_refused(value):
    with pytest.raises(ValidationError):
        identity.validate_mobile(value)


def test_sealed_value_round_trips_and_is_not_stored_in_clear(settings):
    token = identity.seal("33010519491231002X")
    assert "33010519491231002X" not in token
    assert identity.unseal(token) == "33010519491231002X"
