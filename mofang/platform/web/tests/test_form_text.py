"""Every form's text fields refuse control characters in Chinese (issue 13)."""

import pytest

from mofang.platform.accounts.forms import PhoneLoginForm
from mofang.platform.people.forms import GuardianForm

MESSAGE = "含有不可见的控制字符（如空字符），请删除后重新填写"


@pytest.mark.parametrize("bad", ["毛\x00玉梅", "毛玉梅\x07", "毛\x1b玉梅", "毛\x9b玉梅"])
def test_a_text_field_with_a_control_character_is_refused_in_chinese_once(bad):
    form = GuardianForm({"name": bad, "phone": "13800000001", "relation": "父亲"})
    assert not form.is_valid()
    assert form.errors["name"] == [MESSAGE]


def test_tabs_and_line_breaks_are_not_control_characters_to_refuse():
    form = GuardianForm({"name": "毛\t玉\r\n梅", "phone": "13800000001", "relation": "父亲"})
    assert form.is_valid(), form.errors


def test_a_phone_with_a_nul_is_refused_in_chinese():
    form = PhoneLoginForm({"phone": "1380000\x000001"})
    assert not form.is_valid() and form.errors["phone"] == [MESSAGE]
