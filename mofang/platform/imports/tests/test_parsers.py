"""Cell parsers: the fast paths accept exactly what the slow, canonical checks accept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from mofang.platform.imports import parsers
from mofang.platform.people import identity
from mofang.platform.testing import make_id_number


def outcome(fn, raw):
    try:
        return ("ok", fn(raw))
    except ValidationError as exc:
        return ("error", exc.messages)


def mutate(base: str, data) -> str:
    i = data.draw(st.integers(0, len(base) - 1))
    ch = data.draw(st.sampled_from("0123456789Xx ٣a"))
    return base[:i] + ch + base[i + 1 :]


@given(st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2100, 1, 1)), st.sampled_from("MF"), st.data())
@settings(max_examples=400)
def test_id_number_fast_path_agrees_with_identity(birth, sex, data):
    valid = make_id_number(birth.strftime("%Y%m%d"), sex)
    for raw in (valid, valid.lower(), mutate(valid, data), valid[:17], valid + "1"):
        assert outcome(parsers.parse_id_number, raw) == outcome(identity.validate_id_number, raw)


@given(st.text(alphabet="0123456789Xx-", min_size=16, max_size=19))
def test_id_number_fast_path_agrees_on_any_text(raw):
    assert outcome(parsers.parse_id_number, raw) == outcome(identity.validate_id_number, raw)


def test_id_number_in_the_future_or_before_1900_is_refused():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for raw in (make_id_number(tomorrow.strftime("%Y%m%d")), make_id_number("18991231")):
        with pytest.raises(ValidationError) as exc:
            parsers.parse_id_number(raw)
        assert exc.value.messages == ["身份证号中的出生日期无效"]


def test_the_standards_example_passes():
    assert parsers.parse_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2018-09-01", dt.date(2018, 9, 1)),
        ("2018/9/1", dt.date(2018, 9, 1)),
        ("2018年9月1日", dt.date(2018, 9, 1)),
        ("20180901", dt.date(2018, 9, 1)),
        ("2018.09.01", dt.date(2018, 9, 1)),
        ("2018-09-01 00:00:00", dt.date(2018, 9, 1)),
    ],
)
def test_dates_in_the_forms_bureaus_write(raw, expected):
    assert parsers.parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2018-02-30", "日期不存在"),
        ("2018-13-01", "日期不存在"),
        ("2018-W01-1", "日期格式应为 2026-09-01"),
        ("九月一日", "日期格式应为 2026-09-01"),
    ],
)
def test_bad_dates_say_why(raw, message):
    with pytest.raises(ValidationError) as exc:
        parsers.parse_date(raw)
    assert exc.value.messages == [message]


@pytest.mark.parametrize(("raw", "sex"), [("男", "M"), ("女", "F"), ("M", "M"), ("f", "F"), ("1", "M"), ("2", "F")])
def test_sex(raw, sex):
    assert parsers.parse_sex(raw) == sex


def test_unknown_sex_is_refused():
    with pytest.raises(ValidationError, match="性别应填"):
        parsers.parse_sex("未知")


def test_codes_and_id_numbers_in_full_width_digits_are_read_as_ascii():
    number = make_id_number()
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    assert parsers.parse_id_number(wide) == number
    assert parsers.parse_code(6, "属地区县代码")("３３０８２２") == "330822"
    assert parsers.parse_code(6, "属地区县代码")("٣٣٠٨٢٢") == "330822"
    assert parsers.parse_mobile("１３９１２３４５６７８") == "13912345678"
    with pytest.raises(ValidationError, match="属地区县代码应为6位数字"):
        parsers.parse_code(6, "属地区县代码")("33082三")
