"""The demo story: a screening at 常山县第一小学 and a 常山县 middle school, 中/高 answers, one crisis
acknowledged with its case in the loop, one waiting (the psychologist's to-do), hotline calls."""

import pytest
from django.test import Client

from mofang.governance.mentalhealth.models import Campaign, CareAssignment, CrisisAlert, HotlineCall, Screening
from mofang.platform.demo.services import build_demo
from mofang.platform.orgs.models import OrgUnit


@pytest.mark.django_db
def test_the_demo_tells_the_guardianship_story():
    report = build_demo(scale=0.02, seed=7, log=lambda *_: None)
    users = report.context.users
    psych = users["psych_cs1"]
    cs1 = Campaign.objects.get(school__code="3308220001")
    assert cs1.answerer == "parent"
    risks = set(Screening.objects.filter(campaign=cs1, submitted_at__isnull=False).values_list("risk", flat=True))
    assert {"low", "medium", "high", "crisis"} <= risks
    assert CareAssignment.objects.filter(user=psych).count() >= 8
    alerts = list(CrisisAlert.objects.filter(screening__campaign=cs1).order_by("raised_at"))
    assert len(alerts) == 2
    assert alerts[0].acknowledged_by == psych and alerts[0].case.state == "intervene"
    assert alerts[1].acknowledged_at is None
    county = cs1.school.path[:12]
    has_secondary = OrgUnit.objects.filter(
        path__startswith=county, kind="school", school_type__in=("junior", "senior", "complete_secondary")
    ).exists()  # at this small scale 常山县 may have its first primary school only
    assert Campaign.objects.filter(answerer="student", school__path__startswith=county).exists() == has_secondary
    assert HotlineCall.objects.filter(case=alerts[0].case).exists()
    client = Client()
    client.force_login(psych)
    home = client.get("/").content.decode()
    assert "待确认的心理危机预警" in home
    client.force_login(users["admin_cs"])
    assert "心理筛查汇总" in client.get("/mentalhealth/summary/?by=school").content.decode()
