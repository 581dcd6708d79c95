"""Query budgets of 心理健康护航's pages (see mofang/platform/budgets.py).

At tree.school: n students, each assigned to one psychologist and with a campaign of their own
(n campaigns, one submitted crisis screening and alert each), plus one campaign of all n students
(the code sheet page). The principal sees the campaigns, assignments and summary; the psychologist
their students and alerts.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_student, make_user

from .models import Answerer, Campaign, CareAssignment, CareRole, CrisisAlert, HotlineCall, Screening

COVERS = (
    "mentalhealth:campaigns",
    "mentalhealth:assignments",
    "mentalhealth:my_students",
    "mentalhealth:alerts",
    "mentalhealth:summary",
    "mentalhealth:campaign",
    "mentalhealth:hotline",
)


def _campaign(school, title, user):
    today = timezone.localdate()
    return Campaign.objects.create(
        school=school,
        term="预算学期",
        title=title,
        answerer=Answerer.PARENT,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=7),
        created_by=user,
    )


def scene(tree, n: int) -> Scene:
    principal = make_user("budget_mh_principal", "principal", tree.school)
    psych = make_user("budget_mh_psych", "psych_teacher", tree.school)
    centre = make_user("budget_mh_centre", "mh_centre", tree.county)
    now = timezone.now()
    sheet = _campaign(tree.school, "预算全校筛查", principal)
    for i in range(n):
        child = make_student(tree.school, f"预算学生{i}", klass=tree.klass)
        CareAssignment.objects.create(student=child, user=psych, role=CareRole.PSYCHOLOGIST, assigned_by=principal)
        own = _campaign(tree.school, f"预算筛查{i}", principal)
        s = Screening.objects.create(
            campaign=own,
            student=child,
            code=f"BG{n:02d}{i:04d}",
            submitted_at=now,
            phq9=[0] * 8 + [1],
            gad7=[0] * 7,
            phq9_total=1,
            gad7_total=0,
            risk="crisis",
        )
        CrisisAlert.objects.create(screening=s, student=child, raised_at=now, due_at=now + dt.timedelta(hours=2))
        Screening.objects.create(campaign=sheet, student=child, code=f"BS{n:02d}{i:04d}")
        HotlineCall.objects.create(
            org=tree.county,
            called_at=now,
            caller_kind="parent",
            summary=f"预算来电{i}",
            risk="low",
            student=child,
            taken_by=centre,
        )
    return Scene(
        user=principal,
        urls={"mentalhealth:campaign": f"/mentalhealth/campaigns/{sheet.pk}/"},
        users={"mentalhealth:my_students": psych, "mentalhealth:alerts": psych, "mentalhealth:hotline": centre},
    )
