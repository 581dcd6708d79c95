"""课后服务's rows in the permission matrix (see mofang.platform.matrix).

Each side (常山县第一小学 inside, 江山市实验小学 outside) gets a first-come term whose course meets
today (so its roll call opens), a child on that course, and a lottery term whose window has
closed (so 抽签 may run). Parents' pages are "@own" only: no matrix role may see them.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_staff, make_student

from .models import Course, Selection, SelectionMode, SelectionStatus, Term


def _side(tag: str, school) -> dict:
    now, today = timezone.now(), timezone.localdate()
    term = Term.objects.create(
        school=school,
        name=f"矩阵{tag}学期",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
    )
    teacher = make_staff(school, f"矩阵{tag}教师", phone="13905790001")
    course = Course.objects.create(
        term=term,
        school=school,
        name=f"矩阵{tag}丛林穿越",
        weekday=today.isoweekday(),
        period_from=1,
        period_to=2,
        place="操场",
        capacity=10,
        taken=1,
        teacher=teacher,
    )
    child = make_student(school, f"矩阵{tag}学生")
    Selection.objects.create(term=term, course=course, student=child, status=SelectionStatus.CONFIRMED)
    lottery = Term.objects.create(
        school=school,
        name=f"矩阵{tag}抽签学期",
        starts_on=today,
        ends_on=today + dt.timedelta(days=60),
        opens_at=now - dt.timedelta(days=3),
        closes_at=now - dt.timedelta(minutes=5),
        mode=SelectionMode.LOTTERY,
    )
    return {
        "school": school,
        "school_name": school.name,
        "term": term,
        "term_name": term.name,
        "course": course,
        "course_name": course.name,
        "child": child,
        "child_name": child.name,
        "teacher": teacher,
        "lottery": lottery,
        "empty": "",
    }


def make_objects(tree) -> dict:
    return {"inside": _side("甲", tree.school), "outside": _side("乙", tree.other_school)}


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side["school"]])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    course_data = {
        "name": "矩阵新课程",
        "description": "",
        "grade_from": "1",
        "grade_to": "6",
        "weekday": "2",
        "period_from": "1",
        "period_to": "1",
        "place": "科创室",
        "capacity": "5",
        "teacher": str(i["teacher"].pk),
        "institution": "",
        "fee": "0",
    }
    now = timezone.localtime()
    term_data = {
        "name": "矩阵新学期",
        "starts_on": f"{now:%Y-%m-%d}",
        "ends_on": f"{now + dt.timedelta(days=60):%Y-%m-%d}",
        "opens_at": f"{now:%Y-%m-%dT%H:%M}",
        "closes_at": f"{now + dt.timedelta(days=2):%Y-%m-%dT%H:%M}",
        "mode": "first_come",
        "max_courses": "2",
    }
    return [
        ep("课后服务学期列表", "list", "afterschool.view", lambda s: "/afterschool/terms/", "term_name"),
        ep(
            "课后服务学期详情",
            "detail",
            "afterschool.view",
            lambda s: f"/afterschool/terms/{s['term'].pk}/",
            "course_name",
        ),
        ep(
            "课后服务课程详情",
            "detail",
            "afterschool.view",
            lambda s: f"/afterschool/courses/{s['course'].pk}/",
            "child_name",
        ),
        ep(
            "新建课后服务学期",
            "change",
            "afterschool.manage",
            lambda s: f"/afterschool/terms/new/?school={s['school'].pk}",
            "empty",
            method="POST",
            data=term_data,
        ),
        ep(
            "发布课后服务课程",
            "change",
            "afterschool.manage",
            lambda s: f"/afterschool/terms/{s['term'].pk}/courses/",
            "empty",
            method="POST",
            data=course_data,
        ),
        ep(
            "课后服务抽签",
            "change",
            "afterschool.manage",
            lambda s: f"/afterschool/terms/{s['lottery'].pk}/lottery/",
            "empty",
            method="POST",
            data={"seed": "矩阵种子"},
        ),
        ep("今日点名", "list", "afterschool.take_roll", lambda s: "/afterschool/roll/", "course_name"),
        ep("点名页", "detail", "afterschool.take_roll", lambda s: f"/afterschool/roll/{s['course'].pk}/", "child_name"),
        ep(
            "提交点名",
            "change",
            "afterschool.take_roll",
            lambda s: f"/afterschool/roll/{s['course'].pk}/",
            "empty",
            method="POST",
            data={"absent": ""},
        ),
        ep("家长选课（子女列表）", "list", "afterschool.select", lambda s: "/afterschool/select/", "child_name"),
        ep(
            "家长选课页",
            "detail",
            "afterschool.select",
            lambda s: f"/afterschool/select/{s['child'].pk}/",
            "course_name",
        ),
        ep(
            "家长选课提交",
            "change",
            "afterschool.select",
            lambda s: f"/afterschool/select/{s['child'].pk}/",
            "empty",
            method="POST",
            data={"action": "select", "course": str(i["course"].pk)},
        ),
        ep(
            "满意度问卷提交",
            "change",
            "afterschool.select",
            lambda s: f"/afterschool/select/{s['child'].pk}/survey/",
            "empty",
            method="POST",
            data={"rating": "very", "comment": ""},
        ),
        ep(
            "课后服务参与率与满意度",
            "list",
            "afterschool.view_indicators",
            lambda s: "/afterschool/indicators/",
            "school_name",
        ),
    ]
