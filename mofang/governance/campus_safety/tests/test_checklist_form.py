"""一校一单's page refuses bad input through its form: a wrong type, an unknown item, a note too long,
a bad month or a NUL character is a 400 whose Chinese message names the field, and nothing is
written (no tick, no profile, no audit entry)."""

import pytest

from mofang.platform.audit.models import AuditEntry

from ..models import ChecklistTick, SchoolSafetyProfile
from .test_pages import client_for

URL = "/campus_safety/checklist/"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "ticks", "item": ["gate_duty"], "note_gate_duty": "到\x00岗"}, "情况说明：含有非法字符（NUL）"),
        ({"action": "ticks", "item": ["gate_duty"], "note_gate_duty": "长" * 201}, "情况说明不能超过200个字"),
        ({"action": "ticks", "item": ["no_such_item"]}, "检查项：不在本校的一校一单中"),
        ({"action": "ticks", "item": ["dorm_duty"]}, "检查项：不在本校的一校一单中"),
        ({"action": "ticks", "item": ["gate_duty"], "period": "2026-13"}, "周期：请按“年-月”填写"),
        ({"action": "ticks", "item": ["gate_duty"], "period": "2100-12"}, "周期：不能填报未来的月份"),
        ({"action": "ticks", "school": "第一小学"}, "学校：请选择学校"),
        ({"action": "tick\x00s"}, "操作：未知操作"),
    ],
)
def test_a_bad_checklist_post_is_refused_naming_the_field(world, data, message):
    before = AuditEntry.objects.count()
    r = client_for(world.principal).post(URL, {"school": world.school.pk, **data})
    assert r.status_code == 400 and message in r.content.decode(), r.content.decode()[-2000:]
    assert not ChecklistTick.objects.exists() and not SchoolSafetyProfile.objects.exists()
    assert AuditEntry.objects.count() == before
