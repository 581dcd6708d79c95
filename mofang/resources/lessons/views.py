"""教育资源 pages: the catalogue (search by title or pinyin initials), a lesson's page with its
player, likes and — for its teacher and reviewers — status and review; upload; 云校 live schedule;
问道名师 sessions.

Views parse, reach rows through the selectors (scope layer) and call the services; a refused form
answers 400 with each field's Chinese message, a permission refusal 403, an unreadable lesson 404.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.web.lists import Col, ScopedListView

from . import selectors, services
from .models import GRADES, SUBJECTS, Kind, Lesson, QASession, Status
from .roles import ASK, BROWSE, HOST, REVIEW, UPLOAD

PAGE = 20
SORTS = {"new": ("最新发布", ["-published_at", "-pk"]), "hot": ("最多观看", ["-views", "-pk"])}


def _forbidden(request, message="您没有权限查看该页面"):
    return render(request, "lessons/message.html", {"page_title": "没有权限", "message": message}, status=403)


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _schools(user, perm: str) -> list[OrgUnit]:
    return selectors.schools_of(user, perm)


def _chosen_school(schools: list[OrgUnit], data) -> OrgUnit | None:
    """The school posted (one of the user's), or the user's only school; None when none fits."""
    chosen = next((s for s in schools if str(s.pk) == data.get("school")), None)
    return chosen or (schools[0] if len(schools) == 1 else None)


# --- the catalogue -------------------------------------------------------------------------------


@login_required
def catalogue(request):
    user = request.user
    if not has_perm(user, BROWSE):
        return _forbidden(request)
    qs = selectors.published(user).select_related("school", "teacher")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(initials__icontains=q.lower()))
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    subject = request.GET.get("subject", "")
    if subject in dict(SUBJECTS):
        qs = qs.filter(subject=subject)
    grade = request.GET.get("grade", "")
    if grade in {str(g) for g, _ in GRADES}:
        qs = qs.filter(grade=int(grade))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "new"
    page = Paginator(qs.order_by(*SORTS[sort][1]), PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "page_title": "共享优课与云校",
        "page": page,
        "q": q,
        "kind": kind,
        "subject": subject,
        "grade": grade,
        "sort": sort,
        "kinds": Kind.choices,
        "subjects": SUBJECTS,
        "grades": GRADES,
        "sorts": [(k, v[0]) for k, v in SORTS.items()],
        "querystring": params.urlencode(),
        "can_upload": has_perm(user, UPLOAD),
        "can_review": has_perm(user, REVIEW),
    }
    template = (
        "lessons/index.html#results" if request.htmx and request.htmx.target == "results" else "lessons/index.html"
    )
    return render(request, template, ctx)


@login_required
def detail(request, pk: int):
    user = request.user
    lesson = selectors.readable_or_404(user, pk)
    views_total, likes_total = selectors.totals(lesson)
    reviewer = has_perm_at(user, REVIEW, lesson.school)
    ctx = {
        "page_title": lesson.title,
        "lesson": lesson,
        "views": views_total,
        "likes": likes_total,
        "liked": selectors.liked(user, lesson),
        "published": lesson.status == Status.PUBLISHED,
        "is_teacher": lesson.teacher_id == user.pk,
        "reviewer": reviewer,
        "live": list(selectors.upcoming_live(60, lesson)) if lesson.kind == Kind.COURSE else [],
        "is_video": lesson.media_type == "video/mp4",
    }
    return render(request, "lessons/detail.html", ctx)


@login_required
def media(request, pk: int):
    """The lesson's file, only to those who may read the lesson (never a public URL)."""
    lesson = selectors.readable_or_404(request.user, pk)
    if not lesson.media:
        raise Http404("该资源没有媒体文件")
    try:
        handle = default_storage.open(str(lesson.media.name), "rb")
    except FileNotFoundError:
        raise Http404("媒体文件不存在") from None
    response = FileResponse(handle, content_type=lesson.media_type or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def play(request, pk: int):
    """A play of a published lesson (the player or the link posts it once): one more view.

    The hottest request of the module costs no more than a signed-in page: whether the lesson is
    published is remembered for a minute (forgotten when it is published or withdrawn)."""
    selectors.check_published(request.user, pk)
    services.record_play(lesson_id=pk)
    return HttpResponse(status=204)


@require_POST
@login_required
def like(request, pk: int):
    lesson = selectors.published_or_404(request.user, pk)
    liked, waiting = services.toggle_like(acting_user=request.user, lesson=lesson)
    if waiting is None:  # counted on the row (no Redis): read it again
        lesson.refresh_from_db(fields=["likes"])
        _, likes_total = selectors.totals(lesson)
    else:  # the row is as read above; what waits in Redis came back with the count
        likes_total = lesson.likes + waiting
    return render(request, "lessons/_like.html", {"lesson": lesson, "liked": liked, "likes": likes_total})


# --- upload and review ---------------------------------------------------------------------------


@login_required
def new(request):
    user = request.user
    schools = _schools(user, UPLOAD)
    if not schools:
        return _forbidden(request, "只有学校教师可以上传教育资源")
    errors, data = {}, {}
    if request.method == "POST":
        data = request.POST
        school = _chosen_school(schools, data)
        if school is None:
            errors = {"school": [gettext("请选择学校")]}
        else:
            try:
                lesson = services.submit_lesson(
                    acting_user=user, school=school, data=data, media=request.FILES.get("media")
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                return redirect("lessons:detail", pk=lesson.pk)
    ctx = {
        "page_title": "上传教育资源",
        "schools": schools,
        "data": data,
        "errors": {k: v[0] for k, v in errors.items()},
        "kinds": Kind.choices,
        "subjects": SUBJECTS,
        "grades": GRADES,
        "max_mb": services.media_max_bytes() // (1024 * 1024),
    }
    return render(request, "lessons/new.html", ctx, status=400 if errors else 200)


def _status(o):
    return o.get_status_display()


class MyLessons(ScopedListView):
    model = Lesson
    permission = UPLOAD
    title = "我上传的资源"
    columns = [
        Col("标题", lambda o: o.title, lambda o: f"/lessons/{o.pk}/"),
        Col("类别", lambda o: o.get_kind_display()),
        Col("学科", lambda o: o.subject),
        Col("年级", lambda o: o.get_grade_display()),
        Col("状态", _status),
        Col("审核意见", lambda o: o.review_note),
        Col("观看", lambda o: o.views, num=True),
        Col("点赞", lambda o: o.likes, num=True),
    ]
    search_fields = ["title", "initials"]
    search_placeholder = "标题或拼音首字母"
    order_by = ["-created_at", "-pk"]
    filters = [("status", "状态", Status.choices)]
    export_name = "我上传的教育资源"


class ReviewQueue(ScopedListView):
    model = Lesson
    permission = REVIEW
    title = "教育资源审核"
    columns = [
        Col("标题", lambda o: o.title, lambda o: f"/lessons/{o.pk}/"),
        Col("类别", lambda o: o.get_kind_display()),
        Col("学科", lambda o: o.subject),
        Col("年级", lambda o: o.get_grade_display()),
        Col("学校", lambda o: o.school.name),
        Col("教师", lambda o: o.teacher.full_name),
        Col("状态", _status),
        Col("上传时间", lambda o: timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M")),
    ]
    search_fields = ["title", "initials", "school__name"]
    search_placeholder = "标题、拼音首字母或学校"
    select_related = ["school", "teacher"]
    order_by = ["created_at", "pk"]
    filters = [("status", "状态", Status.choices)]
    export_name = "教育资源审核"

    def base_queryset(self):
        qs = super().base_queryset()
        # the queue opens on what waits for review; the status filter shows the rest
        return qs if self.request.GET.get("status") else qs.filter(status=Status.PENDING)


@require_POST
@login_required
def review(request, pk: int):
    lesson = get_visible_or_404(Lesson, request.user, REVIEW, pk=pk)
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision in ("publish", "return"):
            services.review_lesson(acting_user=request.user, lesson=lesson, publish=decision == "publish", note=note)
        elif decision == "withdraw":
            services.withdraw_lesson(acting_user=request.user, lesson=lesson, note=note)
        else:
            raise ValidationError({"decision": gettext("请选择发布、退回或下架")})
    except ValidationError as exc:
        lesson.refresh_from_db()
        views_total, likes_total = selectors.totals(lesson)
        ctx = {
            "page_title": lesson.title,
            "lesson": lesson,
            "views": views_total,
            "likes": likes_total,
            "published": lesson.status == Status.PUBLISHED,
            "reviewer": True,
            "review_errors": [m for ms in _errors(exc).values() for m in ms],
            "note": note,
        }
        return render(request, "lessons/detail.html", ctx, status=400)
    return redirect("lessons:detail", pk=lesson.pk)


# --- 云校 live schedule ----------------------------------------------------------------------------


@login_required
def live(request):
    if not has_perm(request.user, BROWSE):
        return _forbidden(request)
    days: dict[dt.date, list] = {}
    for item in selectors.upcoming_live(14):
        days.setdefault(timezone.localtime(item.starts_at).date(), []).append(item)
    return render(request, "lessons/live.html", {"page_title": "云校直播课表", "days": sorted(days.items())})


@login_required
def live_new(request, pk: int):
    course = get_visible_or_404(Lesson, request.user, UPLOAD, pk=pk)
    errors, data = {}, {}
    if request.method == "POST":
        data = request.POST
        try:
            services.schedule_live_class(acting_user=request.user, course=course, data=data)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("lessons:detail", pk=course.pk)
    ctx = {"page_title": "安排直播课时", "course": course, "data": data, "errors": {k: v[0] for k, v in errors.items()}}
    return render(request, "lessons/live_new.html", ctx, status=400 if errors else 200)


# --- 问道名师 --------------------------------------------------------------------------------------


@login_required
def qa(request):
    user = request.user
    if not has_perm(user, BROWSE):
        return _forbidden(request)
    now = timezone.now()
    qs = selectors.sessions(user)
    ctx = {
        "page_title": "问道名师",
        "open": list(qs.filter(opens_at__lte=now, closes_at__gte=now).order_by("closes_at")[:50]),
        "coming": list(qs.filter(opens_at__gt=now).order_by("opens_at")[:50]),
        "past": list(qs.filter(closes_at__lt=now).order_by("-closes_at")[:20]),
        "can_host": has_perm(user, HOST),
    }
    return render(request, "lessons/qa.html", ctx)


@login_required
def qa_new(request):
    user = request.user
    schools = _schools(user, HOST)
    if not schools:
        return _forbidden(request, "只有学校教师可以开设问道名师答疑")
    errors, data = {}, {}
    if request.method == "POST":
        data = request.POST
        school = _chosen_school(schools, data)
        try:
            if school is None:
                raise ValidationError({"school": gettext("请选择学校")})
            session = services.open_session(acting_user=user, school=school, data=data)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("lessons:qa_session", pk=session.pk)
    ctx = {
        "page_title": "开设问道名师答疑",
        "schools": schools,
        "data": data,
        "subjects": SUBJECTS,
        "errors": {k: v[0] for k, v in errors.items()},
    }
    return render(request, "lessons/qa_new.html", ctx, status=400 if errors else 200)


def _session_or_404(user, pk: int) -> QASession:
    session = selectors.sessions(user).filter(pk=pk).first()
    if session is None:
        raise Http404("答疑不存在")
    return session


@login_required
def qa_session(request, pk: int):
    user = request.user
    session = _session_or_404(user, pk)
    error, text, status = "", "", 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            services.ask(acting_user=user, session=session, text=text)
        except PermissionDenied:
            return _forbidden(request, "您不能在问道名师中提问")
        except ValidationError as exc:
            error, status = _errors(exc).get("text", ["提问未成功"])[0], 400
        else:
            return redirect("lessons:qa_session", pk=session.pk)
    now = timezone.now()
    questions = list(session.questions.order_by("-answered_at", "created_at")[:200])
    ctx = {
        "page_title": session.title,
        "session": session,
        "questions": questions,
        "answered": sum(1 for q in questions if q.answered_at),
        "is_open": session.opens_at <= now <= session.closes_at,
        "can_ask": has_perm(user, ASK),
        "is_host": session.teacher_id == user.pk,
        "error": error,
        "text": text,
    }
    return render(request, "lessons/qa_session.html", ctx, status=status)


@require_POST
@login_required
def qa_answer(request, pk: int):
    question = selectors.question_or_404(request.user, pk)
    try:
        services.answer(acting_user=request.user, question=question, text=request.POST.get("answer", ""))
    except PermissionDenied:
        return _forbidden(request, "只有本场名师可以解答")
    except ValidationError as exc:
        session = question.session
        ctx = {
            "page_title": session.title,
            "session": session,
            "questions": list(session.questions.order_by("-answered_at", "created_at")[:200]),
            "is_host": True,
            "answer_error": (question.pk, _errors(exc).get("answer", ["解答未成功"])[0]),
        }
        return render(request, "lessons/qa_session.html", ctx, status=400)
    return redirect("lessons:qa_session", pk=question.session_id)
