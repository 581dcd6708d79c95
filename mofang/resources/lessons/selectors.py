"""Which lessons a user may read: every published one (shared with every school), plus — through
the scope layer — the user's own uploads (UPLOAD@own) and what the user reviews (REVIEW over a
subtree). Nothing else: a draft of another school reads as absent (404)."""

import datetime as dt

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from mofang.platform.accounts.scope import grants_for, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import tally
from .models import Lesson, LessonLike, LiveClass, QASession, Question, Status
from .roles import BROWSE, REVIEW, UPLOAD


def published(user):
    """The shared catalogue: every published lesson, for anyone who may browse."""
    if not has_perm(user, BROWSE):
        return Lesson.objects.none()
    return Lesson.objects.filter(status=Status.PUBLISHED)


def liked(user, lesson: Lesson) -> bool:
    return LessonLike.objects.filter(lesson=lesson, user=user).exists()


def schools_of(user, perm: str) -> list[OrgUnit]:
    """The schools where `user` holds `perm` (also "@own": where they may upload or host)."""
    ids = {g.org_id for g in grants_for(user, perm)}
    return list(OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.SCHOOL).order_by("path"))


def question_or_404(user, pk: int) -> Question:
    question = Question.objects.filter(pk=pk, session__in=sessions(user)).select_related("session").first()
    if question is None:
        raise Http404("问题不存在")
    return question


def readable(user):
    if not has_perm(user, BROWSE):
        return Lesson.objects.none()
    cond = Q(status=Status.PUBLISHED)
    for perm in (UPLOAD, REVIEW):
        if has_perm(user, perm):
            cond |= Q(pk__in=Lesson.objects.visible_to(user, perm).values("pk"))
    return Lesson.objects.filter(cond)


def readable_or_404(user, pk: int) -> Lesson:
    lesson = readable(user).select_related("teacher", "school", "reviewed_by").filter(pk=pk).first()
    if lesson is None:
        raise Http404("资源不存在或您没有权限查看")
    return lesson


def _browsing_or_404(user) -> None:
    if not has_perm(user, BROWSE):
        raise Http404("资源不存在或您没有权限查看")


def published_or_404(user, pk: int) -> Lesson:
    """A published lesson (plays and likes count only there)."""
    _browsing_or_404(user)
    lesson = Lesson.objects.filter(pk=pk, status=Status.PUBLISHED).first()
    if lesson is None:
        raise Http404("资源不存在或未发布")
    return lesson


def check_published(user, pk: int) -> None:
    """published_or_404 without reading the lesson (the play endpoint, the module's hottest): the
    published flag remembered for a minute (is_published)."""
    _browsing_or_404(user)
    if not is_published(pk):
        raise Http404("资源不存在或未发布")


PUBLISHED_KEY = "mofang:lessons:published:{}"
PUBLISHED_SECONDS = 60


def is_published(pk: int) -> bool:
    """Whether lesson `pk` is published, remembered for a minute (forget_published on a change)."""
    key = PUBLISHED_KEY.format(pk)
    known = cache.get(key)
    if known is None:
        known = Lesson.objects.filter(pk=pk, status=Status.PUBLISHED).exists()
        cache.set(key, known, PUBLISHED_SECONDS)
    return known


def forget_published(pk: int) -> None:
    cache.delete(PUBLISHED_KEY.format(pk))


def totals(lesson: Lesson) -> tuple[int, int]:
    """Views and likes including those counted since the last flush."""
    v, lk = tally.pending(lesson.pk)
    return lesson.views + v, lesson.likes + lk


def upcoming_live(days: int = 14, course: Lesson | None = None):
    now = timezone.now()
    qs = LiveClass.objects.filter(
        course__status=Status.PUBLISHED,
        starts_at__gte=now - dt.timedelta(hours=3),
        starts_at__lte=now + dt.timedelta(days=days),
    ).select_related("course", "course__teacher", "course__school")
    if course is not None:
        qs = qs.filter(course=course)
    return qs.order_by("starts_at")


def sessions(user):
    """问道名师 sessions are shared with everyone who may browse."""
    if not has_perm(user, BROWSE):
        return QASession.objects.none()
    return QASession.objects.select_related("teacher", "school")
