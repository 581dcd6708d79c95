"""教育资源's rows in the permission matrix (see mofang.platform.matrix).

Each side (常山县第一小学 inside, 江山市's school outside) has a lesson waiting for review and a
published course, uploaded by a teacher of that school who is not a matrix user. What is scoped is
what is not yet shared: the review queue (list, export, count, the home page's to-do), a pending
lesson's page and media, the review itself; "我上传的资源" and scheduling a course's live hours are
"@own" (no matrix user owns them). Published lessons, the live schedule and 问道名师 are shared
with every school on purpose, so they have no inside and outside: tests/test_catalogue.py proves
that only published ones are shared.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_user

from .models import Kind, Lesson, Status

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32


def _side(tag: str, school) -> dict:
    teacher = make_user(f"matrix_ls_{tag}", "teacher", school, full_name=f"矩阵{tag}教师")
    pending = Lesson(
        kind=Kind.LESSON,
        title=f"矩阵{tag}待审资源",
        initials="",
        subject="语文",
        grade=3,
        teacher=teacher,
        school=school,
        media_type="video/mp4",
        duration_minutes=40,
    )
    pending.media.save("matrix.mp4", ContentFile(MP4), save=False)
    pending.save()
    course = Lesson.objects.create(
        kind=Kind.COURSE,
        title=f"矩阵{tag}云校课程",
        subject="数学",
        grade=5,
        teacher=teacher,
        school=school,
        link="https://example.edu.cn/c/1",
        duration_minutes=40,
        class_hours=8,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    return {
        "school": school,
        "pending": pending,
        "course": course,
        "title": pending.title,
        "course_title": course.title,
        "video": "ftypmp42",
    }


def make_objects(tree) -> dict:
    return {"inside": _side("甲", tree.school), "outside": _side("乙", tree.other_school)}


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker] if marker else "", orgs=[side["school"]])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("教育资源审核", "list", "lessons.review", lambda s: "/lessons/review/", "title"),
        ep("教育资源审核导出", "export", "lessons.review", lambda s: "/lessons/review/?export=xlsx", "title"),
        ep("教育资源审核数", "count", "lessons.review", lambda s: "/lessons/review/", ""),
        ep(
            "首页待审核的教育资源",
            "count",
            "lessons.review",
            lambda s: "/",
            "",
            count_label="待审核的教育资源",
            hidden_at_zero=True,
        ),
        ep("待审核资源详情", "detail", "lessons.review", lambda s: f"/lessons/{s['pending'].pk}/", "title"),
        ep("待审核资源媒体", "detail", "lessons.review", lambda s: f"/lessons/{s['pending'].pk}/media/", "video"),
        ep("我上传的资源", "list", "lessons.upload", lambda s: "/lessons/mine/", "title"),
        ep(
            "安排直播课时", "detail", "lessons.upload", lambda s: f"/lessons/{s['course'].pk}/live/new/", "course_title"
        ),
        ep(
            "审核教育资源",
            "change",
            "lessons.review",
            lambda s: f"/lessons/{s['pending'].pk}/review/",
            "",
            method="POST",
            data={"decision": "return", "note": "矩阵退回"},
        ),
    ]
