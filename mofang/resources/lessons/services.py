"""教育资源's changes, each a named function taking `acting_user=`: one transaction, the audit row,
notifications after commit. Views parse and call; every refusal is a ValidationError in Chinese
naming the field (a dict keyed by field where a form shows it beside the field)."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm, has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.files import sniff
from mofang.platform.notifications.services import notify
from mofang.platform.text import find_control, pinyin_initials

from . import selectors, tally
from .models import GRADES, SUBJECTS, Kind, Lesson, LessonLike, LiveClass, QASession, Question, Status
from .roles import ASK, HOST, REVIEW, UPLOAD

MAX_OPEN_QUESTIONS = 5  # unanswered questions one user may have in one session


def media_max_bytes() -> int:
    return int(getattr(settings, "LESSON_MEDIA_MAX_MB", 200)) * 1024 * 1024


def _text(errors: dict, field: str, label: str, value, *, required=True, max_len: int) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}"
    elif len(value) > max_len:
        errors[field] = f"{label}不能超过{max_len}个字"
    elif find_control(value):
        errors[field] = f"{label}含有不可见的控制字符，请删除后重新填写"
    return value


def _int(errors: dict, field: str, label: str, value, lo: int, hi: int) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = f"{label}应为整数"
        return None
    if not lo <= n <= hi:
        errors[field] = f"{label}应在{lo}到{hi}之间"
        return None
    return n


# --- the catalogue: upload, review, withdraw -------------------------------------------------------


@transaction.atomic
def submit_lesson(*, acting_user, school, data: dict, media=None) -> Lesson:
    """A teacher submits a lesson or course for the bureau's review (状态：待审核)."""
    if not has_perm_at(acting_user, UPLOAD, school, allow_own=True):
        raise PermissionDenied("您不能为该学校上传教育资源")
    errors: dict[str, str] = {}
    kind = data.get("kind") or Kind.LESSON
    if kind not in Kind.values:
        errors["kind"] = "类别应为共享优课或云校课程"
    title = _text(errors, "title", "标题", data.get("title"), max_len=100)
    description = _text(errors, "description", "简介", data.get("description"), required=False, max_len=2000)
    subject = data.get("subject") or ""
    if subject not in dict(SUBJECTS):
        errors["subject"] = "请选择学科"
    grade = _int(errors, "grade", "年级", data.get("grade"), 1, len(GRADES))
    minutes = _int(errors, "duration_minutes", "时长（分钟）", data.get("duration_minutes"), 1, 600)
    hours = _int(errors, "class_hours", "课时数", data.get("class_hours") or 1, 1, 500)
    link = (data.get("link") or "").strip()
    if media is None and not link:
        errors["media"] = "请上传媒体文件或填写外部链接"
    elif media is not None and link:
        errors["link"] = "媒体文件与外部链接只能二选一"
    elif link:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > 200:
            errors["link"] = "外部链接应为以 http:// 或 https:// 开头的网址（不超过200个字符）"
    media_type = ""
    if media is not None:
        try:
            media_type = sniff(media, label="媒体文件", max_bytes=media_max_bytes(), video=True)
        except ValidationError as exc:
            errors["media"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    assert grade is not None and minutes is not None and hours is not None  # no error: all were read
    lesson = Lesson(
        kind=kind,
        title=title,
        initials=pinyin_initials(title),
        subject=subject,
        grade=grade,
        description=description,
        teacher=acting_user,
        school=school,
        link=link,
        media_type=media_type,
        duration_minutes=minutes,
        class_hours=hours if kind == Kind.COURSE else 1,
    )
    if media is not None:
        lesson.media.save(media.name.rsplit("/", 1)[-1][-80:] or "media", media, save=False)
    lesson.save()
    record(
        actor=acting_user, action=AuditAction.CREATE, summary=f"提交教育资源《{title}》待审核", obj=lesson, org=school
    )
    return lesson


def _locked(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_for_update().select_related("teacher", "school").get(pk=lesson.pk)


@transaction.atomic
def review_lesson(*, acting_user, lesson: Lesson, publish: bool, note: str = "") -> Lesson:
    """The bureau publishes a submitted lesson for every school, or returns it with the reason."""
    lesson = _locked(lesson)
    if not has_perm_at(acting_user, REVIEW, lesson.school):
        raise PermissionDenied("您不能审核该学校的教育资源")
    note = (note or "").strip()
    if lesson.status != Status.PENDING:
        raise ValidationError(
            {"decision": gettext("该资源{status}，不能再审核").format(status=lesson.get_status_display())}
        )
    if not publish and not note:
        raise ValidationError({"note": gettext("退回时请填写审核意见")})
    if len(note) > 200 or find_control(note):
        raise ValidationError({"note": gettext("审核意见不能超过200个字，且不能含控制字符")})
    lesson.status = Status.PUBLISHED if publish else Status.RETURNED
    lesson.review_note = note
    lesson.reviewed_by = acting_user
    if publish:
        lesson.published_at = timezone.now()
    lesson.save(update_fields=["status", "review_note", "reviewed_by", "published_at"])
    _forget(lesson.pk)
    verdict = "已发布" if publish else "被退回"
    record(actor=acting_user, action=AuditAction.ACTION, summary=f"教育资源《{lesson.title}》{verdict}", obj=lesson)
    teacher, school, title = lesson.teacher, lesson.school, lesson.title
    transaction.on_commit(
        lambda: notify(
            teacher,
            title=f"教育资源{verdict}",
            body=f"您上传的《{title}》{verdict}" + (f"：{note}" if note else "。"),
            org=school,
            link=f"/lessons/{lesson.pk}/",
        )
    )
    return lesson


@transaction.atomic
def withdraw_lesson(*, acting_user, lesson: Lesson, note: str) -> Lesson:
    """The bureau takes a published lesson down (下架), with the reason; its counts are kept."""
    lesson = _locked(lesson)
    if not has_perm_at(acting_user, REVIEW, lesson.school):
        raise PermissionDenied("您不能下架该学校的教育资源")
    note = (note or "").strip()
    if lesson.status != Status.PUBLISHED:
        raise ValidationError({"decision": gettext("只有已发布的资源可以下架")})
    if not note or len(note) > 200 or find_control(note):
        raise ValidationError({"note": gettext("下架时请填写原因（不超过200个字）")})
    lesson.status, lesson.review_note, lesson.reviewed_by = Status.WITHDRAWN, note, acting_user
    lesson.save(update_fields=["status", "review_note", "reviewed_by"])
    _forget(lesson.pk)
    record(actor=acting_user, action=AuditAction.ACTION, summary=f"教育资源《{lesson.title}》下架：{note}", obj=lesson)
    return lesson


def _forget(pk: int) -> None:
    """The play endpoint's memory of whether the lesson is published: now, and again after commit
    (a play in between could remember the old state)."""
    selectors.forget_published(pk)
    transaction.on_commit(lambda: selectors.forget_published(pk))


# --- views and likes ---------------------------------------------------------------------------


def record_play(*, lesson_id: int) -> None:
    """A play (观看) of a published lesson: one more view, counted without locking its row."""
    tally.count_view(lesson_id)


def toggle_like(*, acting_user, lesson: Lesson) -> tuple[bool, int | None]:
    """Like a published lesson, or take the like back: whether the user now likes it, and the
    lesson's likes waiting in Redis (None when counted on its row). One like per user: the database
    refuses a second row, so two taps at once count once."""
    try:
        with transaction.atomic():
            LessonLike.objects.create(lesson=lesson, user=acting_user)
    except IntegrityError:
        deleted, _ = LessonLike.objects.filter(lesson=lesson, user=acting_user).delete()
        return False, tally.count_like(lesson.pk, -1) if deleted else None
    return True, tally.count_like(lesson.pk, 1)


# --- 云校 live class hours --------------------------------------------------------------------


def _moment(errors: dict, field: str, label: str, value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        moment = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = f"{label}格式应为 2026-09-01T19:00"
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@transaction.atomic
def schedule_live_class(*, acting_user, course: Lesson, data: dict) -> LiveClass:
    """The course's teacher puts a live class hour on the 云校 schedule."""
    if course.teacher_id != acting_user.pk or not has_perm_at(acting_user, UPLOAD, course.school, allow_own=True):
        raise PermissionDenied("只有课程的授课教师可以安排直播课时")
    errors: dict[str, str] = {}
    if course.kind != Kind.COURSE or course.status != Status.PUBLISHED:
        errors["course"] = "只有已发布的云校课程可以安排直播课时"
    title = _text(errors, "title", "本课时主题", data.get("title"), max_len=100)
    starts = _moment(errors, "starts_at", "开始时间", data.get("starts_at"))
    minutes = _int(errors, "minutes", "时长（分钟）", data.get("minutes") or 40, 10, 240)
    room = _text(errors, "room", "直播间", data.get("room"), required=False, max_len=200)
    if starts is not None and starts < timezone.now():
        errors["starts_at"] = "开始时间不能早于现在"
    if errors:
        raise ValidationError(errors)
    assert starts is not None and minutes is not None  # no error: both were read
    live = LiveClass.objects.create(course=course, title=title, starts_at=starts, minutes=minutes, room=room)
    record(actor=acting_user, action=AuditAction.CREATE, summary=f"云校直播《{course.title}》{title}", obj=course)
    return live


# --- 问道名师 ------------------------------------------------------------------------------------


@transaction.atomic
def open_session(*, acting_user, school, data: dict) -> QASession:
    """A teacher opens a 问道名师 session on a subject for a window of time."""
    if not has_perm_at(acting_user, HOST, school, allow_own=True):
        raise PermissionDenied("您不能在该学校开设问道名师答疑")
    errors: dict[str, str] = {}
    title = _text(errors, "title", "主题", data.get("title"), max_len=100)
    subject = data.get("subject") or ""
    if subject not in dict(SUBJECTS):
        errors["subject"] = "请选择学科"
    opens = _moment(errors, "opens_at", "开始时间", data.get("opens_at"))
    closes = _moment(errors, "closes_at", "结束时间", data.get("closes_at"))
    if opens and closes and closes <= opens:
        errors["closes_at"] = "结束时间应晚于开始时间"
    elif opens and closes and closes - opens > dt.timedelta(days=31):
        errors["closes_at"] = "一次答疑最长31天"
    if errors:
        raise ValidationError(errors)
    assert opens is not None and closes is not None  # no error: both were read
    session = QASession.objects.create(
        title=title, subject=subject, teacher=acting_user, school=school, opens_at=opens, closes_at=closes
    )
    record(actor=acting_user, action=AuditAction.CREATE, summary=f"开设问道名师《{title}》", obj=session, org=school)
    return session


def ask(*, acting_user, session: QASession, text: str) -> Question:
    """A question in an open session (a parent asks for the child)."""
    if not has_perm(acting_user, ASK):
        raise PermissionDenied("您不能在问道名师中提问")
    errors: dict[str, str] = {}
    text = _text(errors, "text", "问题", text, max_len=500)
    now = timezone.now()
    if not session.opens_at <= now <= session.closes_at:
        errors["text"] = "本场答疑不在开放时间内，不能提问"
    with transaction.atomic():
        # the session row is the lock: one user's taps are counted one after the other
        QASession.objects.select_for_update().filter(pk=session.pk).first()
        waiting = Question.objects.filter(session=session, asker=acting_user, answered_at__isnull=True).count()
        if waiting >= MAX_OPEN_QUESTIONS and "text" not in errors:
            errors["text"] = f"您在本场已有{MAX_OPEN_QUESTIONS}个问题待解答，请等名师解答后再提问"
        if errors:
            raise ValidationError(errors)
        return Question.objects.create(session=session, asker=acting_user, text=text)


@transaction.atomic
def answer(*, acting_user, question: Question, text: str) -> Question:
    """The session's teacher answers a question; the asker is told."""
    question = Question.objects.select_for_update().select_related("session", "asker").get(pk=question.pk)
    session = question.session
    if session.teacher_id != acting_user.pk:
        raise PermissionDenied("只有本场名师可以解答")
    errors: dict[str, str] = {}
    text = _text(errors, "answer", "解答", text, max_len=5000)
    if errors:
        raise ValidationError(errors)
    first = question.answered_at is None
    question.answer, question.answered_at = text, timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, summary=f"问道名师《{session.title}》解答", obj=session)
    if first:
        asker, school = question.asker, session.school
        transaction.on_commit(
            lambda: notify(
                asker,
                title="问道名师已解答",
                body=f"您在《{session.title}》中的提问已有名师解答。",
                org=school,
                link=f"/lessons/qa/{session.pk}/",
            )
        )
    return question
