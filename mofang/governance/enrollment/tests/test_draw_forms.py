"""The draw pages refuse bad input through their forms: a missing or unknown action, a wrong type,
a value out of range or a NUL character is a 400 whose Chinese message names the field, and
nothing is written (no draw, no seed, no audit entry)."""

import pytest

from mofang.governance.enrollment.models import Draw
from mofang.platform.audit.models import AuditEntry

from .test_draw import setup  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data, message",
    [
        ({"year": "明年"}, "招生年份应为数字"),
        ({"year": "1999"}, "招生年份应为"),
        ({"stage": "high\x00"}, "学段应为小学或初中"),
        ({"mechanism": "random"}, "未知的派位办法"),
        ({"year": "20\x0026"}, "招生年份应为数字"),
    ],
)
def test_a_bad_new_draw_is_refused_naming_the_field(client, setup, data, message):  # noqa: F811
    client.force_login(setup.admin)
    n, before = Draw.objects.count(), AuditEntry.objects.count()
    r = client.post(f"/enrollment/manage/draws/new/?county={setup.tree.county.pk}", data)
    assert r.status_code == 400 and message in r.content.decode()
    assert Draw.objects.count() == n and AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "data, message",
    [
        ({"seed": "公证种子"}, "操作：未知操作"),
        ({"action": "shuffle"}, "操作：未知操作"),
        ({"action": "seed", "seed": "公证\x00种子"}, "随机种子：含有非法字符（NUL）"),
        ({"action": "seed", "seed": "9" * 201}, "随机种子不能超过200个字符"),
        ({"action": "seed"}, "请输入随机种子"),
    ],
)
def test_a_bad_draw_step_is_refused_naming_the_field(client, setup, data, message):  # noqa: F811
    client.force_login(setup.notary)
    before = AuditEntry.objects.count()
    r = client.post(f"/enrollment/manage/draws/{setup.draw.pk}/", data)
    assert r.status_code == 400 and message in r.content.decode()
    setup.draw.refresh_from_db()
    assert setup.draw.seed == "" and AuditEntry.objects.count() == before
