"""Fixtures for 心理健康护航: a school with a psychologist, two head teachers, students, a campaign —
built through the services the pages use."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.governance.mentalhealth import services
from mofang.governance.mentalhealth.models import CareRole
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.testing import add, make_student, make_user

CALM = ([0] * 9, [0] * 7)
CRISIS = ([1, 1, 0, 0, 0, 0, 0, 0, 1], [0] * 7)


def with_phone(user, phone):
    user.phone = phone
    user.save(update_fields=["phone"])
    return user


@pytest.fixture
def mh(tree):
    p = SimpleNamespace(tree=tree)
    p.klass2 = add(OrgUnit.objects.get(path=tree.klass.path[:-4]), "一年级2班", OrgKind.CLASS)
    p.principal = make_user("principal_cs1", "principal", tree.school, full_name="校长")
    p.psych = with_phone(make_user("psych_cs1", "psych_teacher", tree.school, full_name="心理老师"), "13900000001")
    p.head = with_phone(make_user("head_1", "head_teacher", tree.klass, full_name="一班班主任"), "13900000002")
    p.head2 = make_user("head_2", "head_teacher", p.klass2, full_name="二班班主任")
    p.county = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    p.centre = make_user("centre_cs", "mh_centre", tree.county, full_name="常山县心理健康指导中心")
    p.other_psych = make_user("psych_js", "psych_teacher", tree.other_school, full_name="江山心理老师")
    p.a = make_student(tree.school, "甲同学", klass=tree.klass)
    p.b = make_student(tree.school, "乙同学", klass=tree.klass)
    p.c = make_student(tree.school, "丙同学", klass=p.klass2)
    for s in (p.a, p.b, p.c):
        services.assign(s, p.psych, CareRole.PSYCHOLOGIST, acting_user=p.principal)
    services.assign(p.a, p.head, CareRole.HEAD_TEACHER, acting_user=p.principal)
    services.assign(p.c, p.head2, CareRole.HEAD_TEACHER, acting_user=p.psych)
    today = timezone.localdate()
    p.campaign = services.create_campaign(
        tree.school,
        term="2026-2027学年第一学期",
        title="秋季心理筛查",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
        acting_user=p.psych,
    )
    p.code = {s.student_id: s.code for s in p.campaign.screenings.all()}
    return p
