"""教育资源 — models: the catalogue of shared lessons and cloud courses, their live class hours,
问道名师 question-and-answer sessions, likes, and the ledger of counter flushes.

A lesson's view and like totals are counters on its row. Under heavy read load they are counted in
Redis and added to the row in batches (tally.py); each batch is written once, keyed by its token
(CounterFlush), so a flush interrupted half-way neither loses nor doubles a count.
"""

from django.conf import settings
from django.db import models

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

SUBJECTS = [
    (s, s)
    for s in (
        "语文",
        "数学",
        "英语",
        "科学",
        "物理",
        "化学",
        "生物",
        "历史",
        "地理",
        "道德与法治",
        "信息技术",
        "音乐",
        "美术",
        "体育与健康",
        "劳动",
        "心理健康",
        "综合实践",
    )
]
GRADES = [
    (g, name)
    for g, name in enumerate(
        (
            "一年级",
            "二年级",
            "三年级",
            "四年级",
            "五年级",
            "六年级",
            "七年级",
            "八年级",
            "九年级",
            "高一",
            "高二",
            "高三",
        ),
        start=1,
    )
]


class Kind(models.TextChoices):
    LESSON = "lesson", "共享优课"
    COURSE = "course", "云校课程"


class Status(models.TextChoices):
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已下架"


class Lesson(models.Model):
    """A lesson (共享优课) or a course (云校课程) a teacher uploaded and a bureau published for every
    school: a media file (video or courseware) or a link, with its view and like totals."""

    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.LESSON)
    title = models.CharField("标题", max_length=100)
    initials = models.CharField("拼音首字母", max_length=100, db_index=True, editable=False)
    subject = models.CharField("学科", max_length=10, choices=SUBJECTS)
    grade = models.PositiveSmallIntegerField("年级", choices=GRADES)
    description = models.TextField("简介", blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授课教师", on_delete=models.PROTECT, related_name="lessons"
    )
    school = models.ForeignKey(OrgUnit, verbose_name="学校", on_delete=models.PROTECT, related_name="lessons")
    media = models.FileField("媒体文件", upload_to="lessons/%Y/%m/", blank=True)
    media_type = models.CharField("文件类型", max_length=40, blank=True)
    link = models.URLField("外部链接", blank=True)
    duration_minutes = models.PositiveSmallIntegerField("时长（分钟）")
    class_hours = models.PositiveSmallIntegerField("课时数", default=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    views = models.PositiveBigIntegerField("观看次数", default=0)
    likes = models.PositiveIntegerField("点赞数", default=0)

    objects = ScopedManager()
    scope_org_field = "school"
    scope_owner_field = "teacher"

    class Meta:
        verbose_name = "教育资源"
        verbose_name_plural = "教育资源"
        indexes = [models.Index(fields=["status", "kind", "-published_at"], name="lessons_catalogue")]

    def __str__(self):
        return self.title


class LessonLike(models.Model):
    """One user's like of one lesson (at most one: the database refuses a second)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="like_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "点赞"
        verbose_name_plural = "点赞"
        constraints = [models.UniqueConstraint(fields=["lesson", "user"], name="lessons_one_like_per_user")]

    def __str__(self):
        return f"{self.user} 赞 {self.lesson_id}"


class LiveClass(models.Model):
    """A 云校 live class hour on the schedule: a published course's teacher teaching at a set time."""

    course = models.ForeignKey(Lesson, verbose_name="课程", on_delete=models.CASCADE, related_name="live_classes")
    title = models.CharField("本课时主题", max_length=100)
    starts_at = models.DateTimeField("开始时间")
    minutes = models.PositiveSmallIntegerField("时长（分钟）", default=40)
    room = models.CharField("直播间", max_length=200, blank=True)

    objects = ScopedManager()
    scope_org_field = "course__school"
    scope_owner_field = "course__teacher"

    class Meta:
        verbose_name = "云校直播课时"
        verbose_name_plural = "云校直播课时"
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.course_id} {self.title}"


class QASession(models.Model):
    """A 问道名师 session: a named teacher answers students' questions on a subject within a window."""

    title = models.CharField("主题", max_length=100)
    subject = models.CharField("学科", max_length=10, choices=SUBJECTS)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="名师", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(OrgUnit, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_org_field = "school"
    scope_owner_field = "teacher"

    class Meta:
        verbose_name = "问道名师"
        verbose_name_plural = "问道名师"
        ordering = ["-opens_at"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """A question asked in a 问道名师 session (by a parent for the child, or a teacher) and its answer."""

    session = models.ForeignKey(QASession, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("问题", max_length=500)
    answer = models.TextField("解答", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提问"
        verbose_name_plural = "提问"
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:20]


class CounterFlush(models.Model):
    """One batch of counted views and likes added to the lessons: written in the same transaction
    as the additions, so a batch retried after a crash is recognised and not added twice."""

    token = models.CharField(max_length=40, unique=True)
    lessons = models.PositiveIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    likes = models.BigIntegerField(default=0)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "计数入库批次"
        verbose_name_plural = "计数入库批次"

    def __str__(self):
        return self.token
