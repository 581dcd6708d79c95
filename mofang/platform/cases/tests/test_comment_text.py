"""Case comments lose invisible control characters (issue 13): they would break every export."""

import pytest
from django.core.exceptions import ValidationError

from mofang.platform.cases import services


def test_a_comment_with_control_characters_is_stored_without_them(report, world):
    case = report()
    event = services.comment(case, "请尽快\x00处理\x07\x1b", acting_user=world.liaison2)
    event.refresh_from_db()
    assert event.comment == "请尽快处理"


def test_a_comment_of_nothing_but_control_characters_is_refused_as_empty(report, world):
    case = report()
    with pytest.raises(ValidationError) as exc:
        services.comment(case, "\x00\x08", acting_user=world.liaison2)
    assert "请填写意见内容" in str(exc.value)
