"""A teacher uploads, the county's bureau reviews and publishes, every school browses: drafts are
seen only by their teacher and the reviewers above the school; media only by those who may read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mofang.platform.notifications.models import InboxMessage
from mofang.resources.lessons import services
from mofang.resources.lessons.models import Lesson, Status

from .conftest import lesson_data, mp4


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _submit(ls, **extra):
    return services.submit_lesson(acting_user=ls.teacher, school=ls.tree.school, data=lesson_data(**extra), media=mp4())


def test_a_teachers_upload_waits_for_review_and_reads_as_absent_to_others(ls):
    lesson = _submit(ls)
    assert lesson.status == Status.PENDING and lesson.media_type == "video/mp4" and lesson.initials == "rszb"
    assert _client(ls.teacher).get(f"/lessons/{lesson.pk}/").status_code == 200
    assert _client(ls.reviewer).get(f"/lessons/{lesson.pk}/").status_code == 200
    for outsider in (ls.colleague, ls.parent, ls.other_reviewer):
        c = _client(outsider)
        assert c.get(f"/lessons/{lesson.pk}/").status_code == 404
        assert c.get(f"/lessons/{lesson.pk}/media/").status_code == 404
    assert "认识钟表" not in _client(ls.parent).get("/lessons/").content.decode()


def test_publishing_shares_the_lesson_with_every_school_and_tells_the_teacher(ls, django_capture_on_commit_callbacks):
    lesson = _submit(ls)
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(ls.reviewer).post(f"/lessons/{lesson.pk}/review/", {"decision": "publish"})
    assert r.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Status.PUBLISHED and lesson.published_at is not None
    assert InboxMessage.objects.filter(recipient=ls.teacher, title="教育资源已发布").exists()
    page = _client(ls.parent).get("/lessons/?q=rszb").content.decode()
    assert "认识钟表" in page and "共 1 个资源" in page
    media = _client(ls.other_reviewer).get(f"/lessons/{lesson.pk}/media/")
    assert media.status_code == 200 and media["Content-Type"] == "video/mp4"


def test_returning_needs_a_reason_and_another_county_cannot_review(ls):
    lesson = _submit(ls)
    r = _client(ls.reviewer).post(f"/lessons/{lesson.pk}/review/", {"decision": "return"})
    assert r.status_code == 400 and "退回时请填写审核意见" in r.content.decode()
    assert _client(ls.other_reviewer).post(f"/lessons/{lesson.pk}/review/", {"decision": "publish"}).status_code == 404
    lesson.refresh_from_db()
    assert lesson.status == Status.PENDING
    services.review_lesson(acting_user=ls.reviewer, lesson=lesson, publish=False, note="声音偏小")
    lesson.refresh_from_db()
    assert lesson.status == Status.RETURNED and lesson.review_note == "声音偏小"
    with pytest.raises(ValidationError):
        services.review_lesson(acting_user=ls.reviewer, lesson=lesson, publish=True)


def test_bad_uploads_name_the_field_and_write_nothing(ls):
    c = _client(ls.teacher)
    exe = SimpleUploadedFile("a.mp4", b"MZ\x90\x00" + b"\x00" * 40, content_type="video/mp4")
    r = c.post("/lessons/new/", lesson_data(title="", grade="13", duration_minutes="abc") | {"media": exe})
    body = r.content.decode()
    assert r.status_code == 400
    for message in (
        "请填写标题",
        "年级应在1到12之间",
        "时长（分钟）应为整数",
        "媒体文件只能是MP4视频、PDF、JPG或PNG文件",
    ):
        assert message in body
    r = c.post("/lessons/new/", lesson_data(link="javascript:alert(1)"))
    assert r.status_code == 400 and "外部链接应为以 http:// 或 https:// 开头的网址" in r.content.decode()
    r = c.post("/lessons/new/", lesson_data(link="https://example.edu.cn/v/1") | {"media": mp4()})
    assert r.status_code == 400 and "媒体文件与外部链接只能二选一" in r.content.decode()
    assert not Lesson.objects.exists()


def test_a_file_over_the_limit_is_refused(ls, settings):
    settings.LESSON_MEDIA_MAX_MB = 0
    with pytest.raises(ValidationError) as exc:
        _submit(ls)
    assert "媒体文件不能超过0MB" in exc.value.message_dict["media"][0]


def test_nobody_uploads_for_a_school_outside_their_own(ls):
    for user, school in ((ls.teacher, ls.tree.other_school), (ls.reviewer, ls.tree.school)):
        with pytest.raises(PermissionDenied):
            services.submit_lesson(acting_user=user, school=school, data=lesson_data(), media=mp4())
    assert _client(ls.parent).get("/lessons/new/").status_code == 403
    assert not Lesson.objects.exists()


def test_withdrawing_takes_a_lesson_off_the_catalogue_with_a_reason(ls):
    lesson = _submit(ls)
    services.review_lesson(acting_user=ls.reviewer, lesson=lesson, publish=True)
    r = _client(ls.reviewer).post(f"/lessons/{lesson.pk}/review/", {"decision": "withdraw"})
    assert r.status_code == 400 and "下架时请填写原因" in r.content.decode()
    _client(ls.reviewer).post(f"/lessons/{lesson.pk}/review/", {"decision": "withdraw", "note": "内容已过时"})
    lesson.refresh_from_db()
    assert lesson.status == Status.WITHDRAWN
    assert _client(ls.parent).get(f"/lessons/{lesson.pk}/").status_code == 404
    assert _client(ls.parent).post(f"/lessons/{lesson.pk}/play/").status_code == 404
