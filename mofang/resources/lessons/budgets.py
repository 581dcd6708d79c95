"""Query budgets of 教育资源's pages (see mofang/platform/budgets.py)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from .models import Kind, Lesson, LiveClass, QASession, Question, Status

COVERS = (
    "lessons:index",
    "lessons:mine",
    "lessons:review_queue",
    "lessons:live",
    "lessons:qa",
    "lessons:qa_session",
    "lessons:detail",
)


def _lesson(teacher, school, title, status, kind=Kind.LESSON):
    return Lesson(
        kind=kind,
        title=title,
        subject="语文",
        grade=3,
        teacher=teacher,
        school=school,
        link="https://example.edu.cn/v/1",
        duration_minutes=40,
        status=status,
        published_at=timezone.now() if status == Status.PUBLISHED else None,
    )


def scene(tree, n: int) -> Scene:
    """At tree.school: n published lessons and n waiting for review (each by its own teacher, so
    names are read per row), a course with n live hours, n 问道名师 sessions, one with n questions."""
    now = timezone.now()
    mine = make_user("budget_ls_mine", "teacher", tree.school)
    rows = []
    for i in range(n):
        t = make_user(f"budget_ls_t{i}", "teacher", tree.school, full_name=f"预算教师{i}")
        rows.append(_lesson(t, tree.school, f"预算已发布{i}", Status.PUBLISHED))
        rows.append(_lesson(t, tree.school, f"预算待审{i}", Status.PENDING))
        rows.append(_lesson(mine, tree.school, f"预算本人{i}", Status.PENDING))
    Lesson.objects.bulk_create(rows)
    course = _lesson(mine, tree.school, "预算云校课程", Status.PUBLISHED, Kind.COURSE)
    course.save()
    LiveClass.objects.bulk_create(
        LiveClass(course=course, title=f"预算第{i}课时", starts_at=now + dt.timedelta(hours=i + 1)) for i in range(n)
    )
    sessions = QASession.objects.bulk_create(
        QASession(
            title=f"预算答疑{i}",
            subject="语文",
            teacher=mine,
            school=tree.school,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(hours=i + 1),
        )
        for i in range(n)
    )
    Question.objects.bulk_create(Question(session=sessions[0], asker=mine, text=f"预算问题{i}") for i in range(n))
    return Scene(
        user=make_user("budget_ls_county", "county_admin", tree.county),
        urls={"lessons:qa_session": f"/lessons/qa/{sessions[0].pk}/", "lessons:detail": f"/lessons/{course.pk}/"},
        users={"lessons:mine": mine},
    )
