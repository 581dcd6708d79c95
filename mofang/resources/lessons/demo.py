"""教育资源's demo story (registered with the core demo in AppConfig.ready()).

The story school's teachers (毛玉梅 teaches 语文; a colleague 数学; the principal and the
psychologist one each) have shared lessons and two 云校 courses published by 常山县's bureau, with
views counted over the past term and likes from the demo logins (the likes on each lesson are
exactly its LessonLike rows). Two lessons wait for admin_cs's review and one was returned with a
reason; a course has live class hours this week; 毛玉梅 hosts an open 问道名师 session with an
answered and a waiting question from parent_cs1, and a past session is listed below it.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.orgs.models import OrgUnit
from mofang.platform.text import pinyin_initials

from .models import Kind, Lesson, LessonLike, LiveClass, QASession, Question, Status

LESSONS = [
    # (uploader, kind, subject, grade, title, minutes, class hours)
    ("maoyumei", Kind.LESSON, "语文", 1, "拼音乐园：认识声母", 40, 1),
    ("maoyumei", Kind.LESSON, "语文", 2, "识字加油站：形声字的秘密", 40, 1),
    ("maoyumei", Kind.LESSON, "语文", 3, "习作指导：我的植物朋友", 40, 1),
    ("maoyumei", Kind.LESSON, "语文", 4, "古诗二首：《山行》《赠刘景文》", 40, 1),
    ("maoyumei", Kind.LESSON, "语文", 5, "整本书阅读：《西游记》人物谈", 45, 1),
    ("maoyumei", Kind.LESSON, "语文", 6, "文言文二则：学弈与两小儿辩日", 40, 1),
    ("maoyumei", Kind.COURSE, "语文", 6, "小升初阅读与写作提升", 40, 12),
    ("teacher_cs1b", Kind.LESSON, "数学", 1, "认识钟表", 40, 1),
    ("teacher_cs1b", Kind.LESSON, "数学", 2, "表内乘法：6的乘法口诀", 40, 1),
    ("teacher_cs1b", Kind.LESSON, "数学", 3, "长方形和正方形的周长", 40, 1),
    ("teacher_cs1b", Kind.LESSON, "数学", 4, "三位数乘两位数", 40, 1),
    ("teacher_cs1b", Kind.LESSON, "数学", 5, "分数的意义", 40, 1),
    ("teacher_cs1b", Kind.LESSON, "数学", 6, "圆的面积", 40, 1),
    ("teacher_cs1b", Kind.COURSE, "数学", 5, "思维训练：从算术到方程", 40, 16),
    ("principal_cs1", Kind.LESSON, "道德与法治", 5, "我们的国土 我们的家园", 40, 1),
    ("psych_cs1", Kind.LESSON, "心理健康", 4, "认识情绪：我的心情晴雨表", 35, 1),
]
PENDING = [
    ("maoyumei", Kind.LESSON, "语文", 2, "口语交际：注意说话的语气", 40, 1),
    ("teacher_cs1b", Kind.LESSON, "数学", 4, "运算律：乘法分配律", 40, 1),
]
RETURNED = ("teacher_cs1b", Kind.LESSON, "数学", 3, "测量：毫米、分米的认识", 40, 1, "视频声音偏小，请重新录制后再提交")
LINK = "https://example.edu.cn/lessons/"


def _lesson(users, school, row, status, now, rng, reviewer, note=""):
    who, kind, subject, grade, title, minutes, hours = row
    published = status == Status.PUBLISHED
    return Lesson(
        kind=kind,
        title=title,
        initials=pinyin_initials(title),
        subject=subject,
        grade=grade,
        description=f"{school.name}{users[who].full_name}老师的{subject}课。",
        teacher=users[who],
        school=school,
        link=f"{LINK}{rng.randrange(10**6, 10**7)}",
        duration_minutes=minutes,
        class_hours=hours,
        status=status,
        review_note=note,
        reviewed_by=reviewer if status != Status.PENDING else None,
        published_at=now - dt.timedelta(days=rng.randint(3, 120)) if published else None,
        views=rng.randint(200, 9000) if published else 0,
    )


def build(ctx) -> None:
    users = ctx.users
    needed = {"maoyumei", "teacher_cs1b", "principal_cs1", "psych_cs1", "admin_cs", "parent_cs1"}
    if not needed <= set(users) or Lesson.objects.exists():
        return
    rng, now = ctx.rng, timezone.now()
    school = OrgUnit.objects.get(pk=users["maoyumei"].memberships.first().org_id)
    reviewer = users["admin_cs"]
    rows = [_lesson(users, school, r, Status.PUBLISHED, now, rng, reviewer) for r in LESSONS]
    rows += [_lesson(users, school, r, Status.PENDING, now, rng, reviewer) for r in PENDING]
    rows.append(_lesson(users, school, RETURNED[:7], Status.RETURNED, now, rng, reviewer, RETURNED[7]))
    Lesson.objects.bulk_create(rows)
    published = list(Lesson.objects.filter(status=Status.PUBLISHED).order_by("pk"))
    likers = [u for name, u in sorted(users.items()) if name != "admin_qz"]
    likes = []
    for lesson in published:
        for u in rng.sample(likers, rng.randint(0, min(6, len(likers)))):
            likes.append(LessonLike(lesson=lesson, user=u))
    LessonLike.objects.bulk_create(likes)
    for lesson in published:
        lesson.likes = sum(1 for lk in likes if lk.lesson_id == lesson.pk)
    Lesson.objects.bulk_update(published, ["likes"])

    today = timezone.localtime(now).replace(hour=19, minute=0, second=0, microsecond=0)
    live = []
    for course in (c for c in published if c.kind == Kind.COURSE):
        for i in range(1, 5):
            live.append(
                LiveClass(
                    course=course,
                    title=f"第{i}课时",
                    starts_at=today + dt.timedelta(days=i * 2 - 1),
                    minutes=40,
                    room="甬上云校直播间",
                )
            )
    LiveClass.objects.bulk_create(live)

    mao, parent = users["maoyumei"], users["parent_cs1"]
    open_now = QASession.objects.create(
        title="一年级拼音学习答疑",
        subject="语文",
        teacher=mao,
        school=school,
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(days=2),
    )
    Question.objects.create(
        session=open_now,
        asker=parent,
        text="孩子总把 b 和 d 写反，在家怎么练习比较好？",
        answer="可以用“右下半圆 b、左下半圆 d”的口诀，每天用手指在空中书写五遍，再配合拼读卡片练习。",
        answered_at=now - dt.timedelta(hours=1),
    )
    Question.objects.create(session=open_now, asker=parent, text="拼读三拼音节时总是读不连贯，需要多久才能熟练？")
    QASession.objects.create(
        title="六年级古诗文阅读方法",
        subject="语文",
        teacher=mao,
        school=school,
        opens_at=now - dt.timedelta(days=20),
        closes_at=now - dt.timedelta(days=18),
    )
    ctx.log(f"教育资源：{len(published)} 个已发布资源、{len(live)} 个直播课时、2 场问道名师")
