"""统一社会信用代码 (GB 32100-2015) with its 组织机构代码 (GB 11714)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from .. import uscc

# codes printed on public business licences
REAL = [
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110000802100433B",  # 中国石油化工股份有限公司
    "12100000400000624D",  # a public institution (事业单位)
    "11100000000013127D",  # a state organ
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert uscc.validate_credit_code(code) == code


def test_lower_case_and_spaces_are_normalized():
    assert uscc.validate_credit_code(" 91330100799655058b ") == "91330100799655058B"


@pytest.mark.parametrize("code", REAL)
def test_every_wrong_check_character_is_refused(code):
    for c in uscc.ALPHABET:
        if c == code[17]:
            continue
        with pytest.raises(ValidationError, match="校验码错误"):
            uscc.validate_credit_code(code[:17] + c)


def test_a_wrong_organisation_code_check_is_refused_even_if_the_total_fits():
    code = REAL[0]
    body = code[:16] + ("1" if code[16] != "1" else "2")  # organisation code check broken
    forged = body + uscc.check_char(body)  # … but the 18th character recomputed to match
    with pytest.raises(ValidationError, match="组织机构代码"):
        uscc.validate_credit_code(forged)


@pytest.mark.parametrize(
    "raw,message",
    [
        ("", "请填写"),
        ("9133010079965505", "应为18位"),
        ("91330100799655058I", "不允许的字符"),
        ("9133O100799655058B", "不允许的字符"),
        ("91ABCDEF799655058B", "行政区划"),
    ],
)
def test_malformed_codes_name_the_field(raw, message):
    with pytest.raises(ValidationError) as exc:
        uscc.validate_credit_code(raw)
    assert exc.value.messages[0].startswith("统一社会信用代码：") and message in exc.value.messages[0]


ALNUM = st.text(alphabet=uscc.ALPHABET, min_size=8, max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.text(alphabet=uscc.ALPHABET, min_size=2, max_size=2),
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),
    body=ALNUM,
)
def test_made_codes_round_trip(prefix, region, body):
    code = uscc.make_credit_code(prefix, region, body)
    assert len(code) == 18
    assert uscc.validate_credit_code(code) == code


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.text(alphabet=uscc.ALPHABET, min_size=2, max_size=2),
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),
    body=ALNUM,
    pos=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=30),
)
def test_any_single_character_change_is_caught(prefix, region, body, pos, delta):
    code = uscc.make_credit_code(prefix, region, body)
    changed = uscc.ALPHABET[(uscc.VALUE[code[pos]] + delta) % 31]
    bad = code[:pos] + changed + code[pos + 1 :]
    with pytest.raises(ValidationError):
        uscc.validate_credit_code(bad)


def test_a_code_typed_in_full_width_is_the_same_code():
    wide = "９１３３０１００７９９６５５０５８Ｂ"
    assert uscc.validate_credit_code(wide) == "91330100799655058B"
