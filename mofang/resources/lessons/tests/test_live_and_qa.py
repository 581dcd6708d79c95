"""云校 live hours are scheduled by the course's teacher on published courses; 问道名师: a parent asks in
an open session, the session's teacher answers and the parent is told; bad input names the field."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from mofang.platform.notifications.models import InboxMessage
from mofang.resources.lessons import services
from mofang.resources.lessons.models import LiveClass, Question

from .conftest import lesson_data, mp4


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def course(ls):
    data = lesson_data(kind="course", title="思维训练", class_hours="16")
    c = services.submit_lesson(acting_user=ls.teacher, school=ls.tree.school, data=data, media=mp4())
    services.review_lesson(acting_user=ls.reviewer, lesson=c, publish=True)
    return c


def test_the_courses_teacher_schedules_a_live_hour_that_everyone_sees(ls, course):
    tomorrow = timezone.now() + dt.timedelta(days=1)
    r = _client(ls.teacher).post(
        f"/lessons/{course.pk}/live/new/", {"title": "第1课时", "starts_at": _local(tomorrow), "minutes": "40"}
    )
    assert r.status_code == 302 and LiveClass.objects.filter(course=course).count() == 1
    page = _client(ls.parent).get("/lessons/live/").content.decode()
    assert "第1课时" in page and "思维训练" in page
    # a colleague cannot schedule on someone else's course (not theirs: absent)
    assert _client(ls.colleague).get(f"/lessons/{course.pk}/live/new/").status_code == 404


def test_a_live_hour_in_the_past_or_malformed_is_refused_by_field(ls, course):
    c = _client(ls.teacher)
    r = c.post(f"/lessons/{course.pk}/live/new/", {"title": "", "starts_at": "明天晚上", "minutes": "5"})
    body = r.content.decode()
    assert r.status_code == 400
    for message in ("请填写本课时主题", "开始时间格式应为", "时长（分钟）应在10到240之间"):
        assert message in body
    r = c.post(f"/lessons/{course.pk}/live/new/", {"title": "补课", "starts_at": "2020-01-01T19:00"})
    assert r.status_code == 400 and "开始时间不能早于现在" in r.content.decode()
    assert not LiveClass.objects.exists()


@pytest.fixture
def session(ls):
    now = timezone.now()
    return services.open_session(
        acting_user=ls.teacher,
        school=ls.tree.school,
        data={
            "title": "拼音答疑",
            "subject": "语文",
            "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(hours=2),
        },
    )


def test_a_parent_asks_the_teacher_answers_and_the_parent_is_told(ls, session, django_capture_on_commit_callbacks):
    parent = _client(ls.parent)
    r = parent.post(f"/lessons/qa/{session.pk}/", {"text": "b 和 d 总写反怎么办？"})
    assert r.status_code == 302
    q = Question.objects.get(session=session)
    assert _client(ls.colleague).post(f"/lessons/qa/questions/{q.pk}/answer/", {"answer": "多练"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(ls.teacher).post(f"/lessons/qa/questions/{q.pk}/answer/", {"answer": "用口诀记忆"})
    assert r.status_code == 302
    assert InboxMessage.objects.filter(recipient=ls.parent, title="问道名师已解答").count() == 1
    page = parent.get(f"/lessons/qa/{session.pk}/").content.decode()
    assert "用口诀记忆" in page and "已解答 1 / 共 1" in page


def test_questions_outside_the_window_or_too_many_are_refused(ls, session):
    c = _client(ls.parent)
    r = c.post(f"/lessons/qa/{session.pk}/", {"text": "  "})
    assert r.status_code == 400 and "请填写问题" in r.content.decode()
    for i in range(services.MAX_OPEN_QUESTIONS):
        services.ask(acting_user=ls.parent, session=session, text=f"问题{i}")
    r = c.post(f"/lessons/qa/{session.pk}/", {"text": "再问一个"})
    assert r.status_code == 400 and "待解答" in r.content.decode()
    session.closes_at = timezone.now() - dt.timedelta(minutes=1)
    session.save()
    with pytest.raises(ValidationError):
        services.ask(acting_user=ls.teacher, session=session, text="晚了")
    assert Question.objects.count() == services.MAX_OPEN_QUESTIONS


def test_only_teachers_open_sessions_and_the_window_must_make_sense(ls):
    assert _client(ls.parent).get("/lessons/qa/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.open_session(acting_user=ls.teacher, school=ls.tree.other_school, data={})
    r = _client(ls.teacher).post(
        "/lessons/qa/new/",
        {"title": "答疑", "subject": "语文", "opens_at": "2026-12-10T19:00", "closes_at": "2026-12-10T18:00"},
    )
    assert r.status_code == 400 and "结束时间应晚于开始时间" in r.content.decode()
