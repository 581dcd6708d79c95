"""The demo story of 视力健康 on a small province: 常山县 screened two autumns, the rate rising by
grade, last year's above this year's, parent_cs1's child screened with a letter, a few letters."""

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from mofang.governance.vision.models import Letter, Screening, Status, round_of
from mofang.platform.accounts.models import User
from mofang.platform.demo.services import build_demo
from mofang.platform.indicators.models import Target
from mofang.platform.notifications.models import InboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_story():
    build_demo(scale=0.02, seed=7, log=lambda _msg: None)
    this = Screening.objects.order_by("-school_year").first().school_year
    assert this == round_of(timezone.localdate())[0]
    rates = {}
    for year in (this, this - 1):
        agg = Screening.objects.filter(school_year=year).aggregate(
            n=Count("pk"), m=Count("pk", filter=Q(status=Status.MYOPIA))
        )
        rates[year] = 100 * agg["m"] / agg["n"]
    assert rates[this - 1] > rates[this], rates
    by_grade = {
        g: 100 * m / n
        for g, n, m in Screening.objects.filter(school_year=this)
        .values_list("grade")
        .annotate(n=Count("pk"), m=Count("pk", filter=Q(status=Status.MYOPIA)))
        .values_list("grade", "n", "m")
    }
    grades = sorted(by_grade)
    assert by_grade[grades[0]] < by_grade[grades[-1]]
    assert not Screening.objects.exclude(school__path__startswith=Screening.objects.first().school.path[:12]).exists()

    parent = User.objects.get(username="parent_cs1")
    assert 0 < Letter.objects.count() < 20
    assert InboxMessage.objects.filter(recipient=parent, title__contains="视力筛查告家长书").count() == 1
    client = Client()
    client.force_login(parent)
    html = client.get("/vision/my/").content.decode()
    assert "筛查性近视" in html and "学校已发送告家长书" in html

    client.force_login(User.objects.get(username="admin_cs"))
    page = client.get(f"/vision/rates/?year={this}").content.decode()
    cards = page.split("按单位")[0]
    assert "近视率 · 常山县" in cards and "达标" in cards and "暂无数据" not in cards
    # the cockpit's target of 近视率: last year's rate − 1.0, at the county and above

    targets = Target.objects.filter(indicator__code="vision_myopia_rate")
    assert {t.org.kind for t in targets} == {"province", "city", "county"}
    assert {round(float(t.value), 1) for t in targets} == {round(rates[this - 1] - 1.0, 1)}
    # 江山市's administrator: nothing screened there
    client.force_login(User.objects.get(username="admin_js"))
    assert "暂无数据" in client.get(f"/vision/rates/?year={this}").content.decode()
