"""The demo story: the story school's published lessons with likes that are exactly their rows,
two waiting for 常山县's review (admin_cs's to-do), a course with live hours, an open 问道名师
session with an answered question from parent_cs1."""

import pytest
from django.db.models import Count
from django.test import Client

from mofang.platform.demo.services import build_demo
from mofang.resources.lessons.models import Lesson, LiveClass, QASession, Status


@pytest.mark.django_db
def test_the_demo_tells_the_shared_lessons_story():
    report = build_demo(scale=0.02, seed=7, log=lambda *_: None)
    users = report.context.users
    published = Lesson.objects.filter(status=Status.PUBLISHED).annotate(rows=Count("like_rows"))
    assert published.count() >= 10
    assert all(lesson.likes == lesson.rows for lesson in published)
    assert LiveClass.objects.filter(course__status=Status.PUBLISHED).count() == 8
    client = Client()
    client.force_login(users["admin_cs"])
    home = client.get("/").content.decode()
    assert "待审核的教育资源" in home
    queue = client.get("/lessons/review/").content.decode()
    assert 'class="total-count">2<' in queue
    client.force_login(users["parent_cs1"])
    catalogue = client.get("/lessons/?q=swxl").content.decode()
    assert "思维训练" in catalogue
    session = QASession.objects.get(title="一年级拼音学习答疑")
    page = client.get(f"/lessons/qa/{session.pk}/").content.decode()
    assert "答疑中" in page and "已解答 1 / 共 2" in page
    live = client.get("/lessons/live/").content.decode()
    assert "小升初阅读与写作提升" in live
