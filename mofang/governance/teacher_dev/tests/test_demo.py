"""The demo story of 教师发展 on a small province: 毛玉梅's points come from her time-bank records
and the imported ones, 教坛新秀 is open to her and she applies; teacher_cs1b's 教坛新苗 case waits
at the county, which recognises it; the county ranking and the studio have figures."""

import re

import pytest
from django.test import Client

from mofang.governance.teacher_dev import services
from mofang.governance.teacher_dev.models import LadderApplication, Recognition, Result, Studio
from mofang.platform.accounts.models import User
from mofang.platform.cases import services as cases
from mofang.platform.demo.services import build_demo
from mofang.platform.people.models import Staff

pytestmark = pytest.mark.django_db


def _client(username):
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_the_demo_story():
    build_demo(scale=0.02, seed=7, log=lambda _msg: None)
    mao = Staff.objects.get(user__username="maoyumei")
    page = _client("maoyumei").get("/teacher_dev/my/").content.decode()
    assert 'data-ref="DEMO-DK-' in page and 'data-ref="DEMO-TG-' in page  # from the time bank
    assert "家访" in page and "继续教育" in page
    total = re.search(r"data-total>([\d.]+)<", page).group(1)
    from django.utils import timezone

    assert str(services.points_of(mao, timezone.localdate().year).total.normalize()) == total

    ladder = _client("maoyumei").post(
        "/teacher_dev/ladder/",
        {"level": str(services.current_level(mao).level.pk + 1), "statement": "近三年县级公开课两节，县优质课一等奖。"},
    )
    assert ladder.status_code == 200, ladder.content.decode()[:2000]
    assert "已提交教坛新秀申报" in ladder.content.decode()

    county = _client("admin_cs")
    waiting = LadderApplication.objects.get(staff__user__username="teacher_cs1b")
    assert waiting.case.state == "reviewing"
    cases.fire(waiting.case, "recognize", acting_user=User.objects.get(username="admin_cs"))
    waiting.refresh_from_db()
    assert waiting.result == Result.RECOGNIZED
    assert Recognition.objects.filter(staff=waiting.staff, level__name="教坛新苗").exists()

    ranking = county.get("/teacher_dev/ranking/").content.decode()
    assert "积分排行 · 常山县" in ranking and mao.name in ranking
    studio = Studio.objects.get()
    assert studio.members.count() >= 2 and studio.activities.exists() and studio.outputs.exists()
    assert _client("admin_js").get(f"/teacher_dev/studios/{studio.pk}/").status_code == 404
