"""心理健康护航's rows in the permission matrix (see mofang/platform/matrix.py).

Each side (常山县第一小学 "inside", 江山市实验小学 "outside") has a student with a submitted crisis
screening and its alert, a campaign, and the side's own psychologist assigned to the student. The
matrix users are assigned to nobody, so every individual-record endpoint (held only `@assigned`) is
hidden from every role — a head teacher or psychologist not assigned to the student cannot open the
screening, and a county administrator sees only the suppressed summary.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target, register_matrix_place
from mofang.platform.testing import make_student, make_user

from . import services
from .cases import VIEW as VIEW_CASE
from .models import CareRole, CrisisAlert, Screening
from .roles import AGGREGATE, ASSIGN, HOTLINE, MANAGE, VIEW_RECORD

register_matrix_place("mh_centre", "county")

CRISIS = ([0, 0, 0, 0, 0, 0, 0, 0, 2], [0] * 7)


def _side(tag: str, county, school, klass) -> dict:
    principal = make_user(f"mx_xl_p_{tag}", "principal", school)
    psych = make_user(f"mx_xl_psy_{tag}", "psych_teacher", school)
    student = make_student(school, f"矩阵{tag}学生", klass=klass)
    other = make_student(school, f"矩阵{tag}待分配")
    services.assign(student, psych, CareRole.PSYCHOLOGIST, acting_user=principal)
    today = timezone.localdate()
    campaign = services.create_campaign(
        school,
        term="矩阵学期",
        title=f"矩阵{tag}筛查",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=7),
        acting_user=principal,
    )
    screening = Screening.objects.get(campaign=campaign, student=student)
    services.submit_answers(screening.code, *CRISIS)
    centre = make_user(f"mx_xl_c_{tag}", "mh_centre", county)
    call = services.record_hotline_call(
        county,
        called_at=timezone.now() - dt.timedelta(hours=1),
        caller_kind="parent",
        summary=f"矩阵{tag}热线摘要",
        risk="medium",
        student_no=student.student_no,
        acting_user=centre,
    )
    return {
        "school": school,
        "campaign": campaign,
        "title": campaign.title,
        "student": student,
        "name": student.name,
        "other": other,
        "psych": psych,
        "screening": screening,
        "alert": CrisisAlert.objects.get(screening=screening),
        "case": CrisisAlert.objects.get(screening=screening).case,
        "call": call,
        "call_marker": call.summary,
        "county": county,
        "call_orgs": [county, school],
        "empty": "",
        "orgs": [school] + ([klass] if klass is not None else []),
    }


def make_objects(tree) -> dict:
    return {
        "inside": _side("甲", tree.county, tree.school, tree.klass),
        "outside": _side("乙", tree.other_county, tree.other_school, None),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs="school", **kw):
        def target(side):
            where = {"student": side["orgs"], "call": side["call_orgs"]}.get(orgs) or [side[orgs]]
            return Target(url=url(side), marker=side[marker], orgs=where)

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("心理筛查列表", "list", MANAGE, lambda s: "/mentalhealth/campaigns/", "title"),
        ep("心理筛查计数", "count", MANAGE, lambda s: "/mentalhealth/campaigns/", "title"),
        ep("心理筛查导出", "export", MANAGE, lambda s: "/mentalhealth/campaigns/?export=xlsx", "title"),
        ep("作答码清单", "detail", MANAGE, lambda s: f"/mentalhealth/campaigns/{s['campaign'].pk}/", "name"),
        ep("护航分配列表", "list", ASSIGN, lambda s: "/mentalhealth/assignments/", "name", orgs="student"),
        ep("护航分配计数", "count", ASSIGN, lambda s: "/mentalhealth/assignments/", "name", orgs="student"),
        ep(
            "护航分配导出", "export", ASSIGN, lambda s: "/mentalhealth/assignments/?export=xlsx", "name", orgs="student"
        ),
        ep("筛查汇总", "list", AGGREGATE, lambda s: "/mentalhealth/summary/", "title"),
        # individual records: held only @assigned, and no matrix user is assigned to the students
        ep("我负责的学生", "list", VIEW_RECORD, lambda s: "/mentalhealth/students/", "name", orgs="student"),
        ep("我负责的学生计数", "count", VIEW_RECORD, lambda s: "/mentalhealth/students/", "name", orgs="student"),
        ep(
            "我负责的学生导出",
            "export",
            VIEW_RECORD,
            lambda s: "/mentalhealth/students/?export=xlsx",
            "name",
            orgs="student",
        ),
        ep(
            "筛查答卷",
            "detail",
            VIEW_RECORD,
            lambda s: f"/mentalhealth/screenings/{s['screening'].pk}/",
            "name",
            orgs="student",
        ),
        ep("危机预警列表", "list", VIEW_RECORD, lambda s: "/mentalhealth/alerts/", "name", orgs="student"),
        ep("危机预警计数", "count", VIEW_RECORD, lambda s: "/mentalhealth/alerts/", "name", orgs="student"),
        ep(
            "危机预警详情",
            "detail",
            VIEW_RECORD,
            lambda s: f"/mentalhealth/alerts/{s['alert'].pk}/",
            "name",
            orgs="student",
        ),
        # the crisis case: the county centre (view_case); professionals only where assigned
        ep(
            "心理危机个案",
            "detail",
            VIEW_CASE,
            lambda s: f"/mentalhealth/cases/{s['case'].pk}/",
            "name",
            orgs="student",
        ),
        ep("心理热线列表", "list", HOTLINE, lambda s: "/mentalhealth/hotline/", "call_marker", orgs="call"),
        ep("心理热线计数", "count", HOTLINE, lambda s: "/mentalhealth/hotline/", "call_marker", orgs="call"),
        ep(
            "心理热线导出",
            "export",
            HOTLINE,
            lambda s: "/mentalhealth/hotline/?export=xlsx",
            "call_marker",
            orgs="call",
        ),
        ep(
            "心理热线记录",
            "detail",
            HOTLINE,
            lambda s: f"/mentalhealth/hotline/{s['call'].pk}/",
            "call_marker",
            orgs="call",
        ),
        # changes last
        ep(
            "确认预警",
            "change",
            VIEW_RECORD,
            lambda s: f"/mentalhealth/alerts/{s['alert'].pk}/",
            "empty",
            orgs="student",
            method="POST",
            data={"comment": "矩阵确认"},
        ),
        ep(
            "分配护航责任人",
            "change",
            ASSIGN,
            lambda s: f"/mentalhealth/assignments/?student={s['other'].pk}",
            "empty",
            method="POST",
            # the inside side's psychologist: outside, nobody holds the permission anyway
            data={"username": i["psych"].username, "role": "psych"},
        ),
        ep(
            "新建心理筛查",
            "change",
            MANAGE,
            lambda s: f"/mentalhealth/campaigns/new/?school={s['school'].pk}",
            "empty",
            method="POST",
            data={
                "term": "矩阵学期",
                "title": "矩阵新筛查",
                "opens_on": timezone.localdate().isoformat(),
                "closes_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
            },
        ),
        ep(
            "登记心理热线来电",
            "change",
            HOTLINE,
            lambda s: f"/mentalhealth/hotline/new/?org={s['county'].pk}",
            "empty",
            orgs="county",
            method="POST",
            data={
                "called_at": (timezone.localtime() - dt.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M"),
                "caller_kind": "student",
                "summary": "矩阵来电",
                "risk": "low",
            },
        ),
    ]
