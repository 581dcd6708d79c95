"""课后服务 pages: the school's terms and courses, parents' selection, roll call, the figures.

Views parse, reach rows through the scope layer, and call the services; a refused form answers
400 with the Chinese message on its field, a permission refusal 403, an out-of-scope object 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.governance.institutions.selectors import whitelisted_institutions
from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Student

from . import catalogue, services
from .forms import CourseForm, LotteryForm, SurveyForm, TermForm, apply_errors
from .models import ACTIVE, Course, Selection, SelectionMode, SelectionStatus, Session, Term
from .selectors import figures_by_school, year_period

VIEW, MANAGE, ROLL, SELECT, FIGURES = (
    "afterschool.view",
    "afterschool.manage",
    "afterschool.take_roll",
    "afterschool.select",
    "afterschool.view_indicators",
)


def _forbidden(request, message="您没有权限执行该操作"):
    return render(request, "afterschool/message.html", {"page_title": "没有权限", "message": message}, status=403)


@login_required
def index(request):
    user = request.user
    if has_perm(user, SELECT):
        return redirect("afterschool:children")
    if has_perm(user, VIEW):
        return redirect("afterschool:terms")
    if has_perm(user, ROLL):
        return redirect("afterschool:roll_today")
    return _forbidden(request)


# --- the school: terms and courses ------------------------------------------------------------


def _managed_schools(user):
    return OrgUnit.objects.visible_to(user, MANAGE).filter(kind=OrgKind.SCHOOL).order_by("path")


@login_required
def terms(request):
    user = request.user
    if not has_perm(user, VIEW):
        return _forbidden(request)
    rows = (
        Term.objects.visible_to(user, VIEW)
        .select_related("school")
        .annotate(n_courses=Count("courses", distinct=True))
        .order_by("-starts_on", "school__path")
    )
    schools = list(_managed_schools(user)[:50])
    form = TermForm()
    return render(
        request,
        "afterschool/terms.html",
        {"page_title": "课后服务课程", "terms": rows[:200], "total": rows.count(), "schools": schools, "form": form},
    )


@login_required
def term_new(request):
    user = request.user
    school = (
        OrgUnit.objects.visible_to(user, MANAGE).filter(kind=OrgKind.SCHOOL, pk=_int(request.GET.get("school"))).first()
    )
    if school is None and request.GET.get("school"):
        return _forbidden(request, "您不能为该学校新建课后服务学期")
    if school is None:
        schools = list(_managed_schools(user)[:2])
        if len(schools) != 1:
            return _forbidden(request, "请从本校的课后服务页面新建学期")
        school = schools[0]
    form = TermForm(request.POST or None)
    ctx = {"page_title": f"新建课后服务学期 · {school.name}", "form": form, "school": school}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            term = services.create_term(school, acting_user=user, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        else:
            messages.success(request, f"已新建学期：{term.name}")
            return redirect("afterschool:term", term.pk)
    return render(request, "afterschool/term_new.html", ctx, status=400 if request.method == "POST" else 200)


def _course_form(term, data=None):
    school = term.school
    return CourseForm(
        data,
        teachers=services.teachers_of(school),
        institutions=whitelisted_institutions(school, term.starts_on).order_by("name"),
    )


def _term_context(request, term, course_form=None, lottery_form=None):
    user = request.user
    courses = (
        Course.objects.visible_to(user, VIEW)
        .filter(term=term)
        .select_related("teacher", "institution")
        .annotate(applied=Count("selections", filter=Q(selections__status=SelectionStatus.APPLIED)))
        .order_by("weekday", "period_from", "name")
    )
    can_manage = has_perm_at(user, MANAGE, term.school)
    return {
        "page_title": str(term),
        "term": term,
        "courses": courses,
        "can_manage": can_manage,
        "state": services.window_state(term),
        "course_form": course_form or (_course_form(term) if can_manage else None),
        "lottery_form": lottery_form or LotteryForm(),
    }


@login_required
def term_detail(request, pk):
    term = get_visible_or_404(Term, request.user, VIEW, pk=pk)
    return render(request, "afterschool/term.html", _term_context(request, term))


@login_required
@require_POST
def course_new(request, pk):
    term = get_visible_or_404(Term, request.user, VIEW, pk=pk)
    if not has_perm_at(request.user, MANAGE, term.school):
        return _forbidden(request)
    form = _course_form(term, request.POST)
    if form.is_valid():
        d = dict(form.cleaned_data)
        d["teacher"] = services.teacher_of_school(term.school, d["teacher"])
        inst = d["institution"]
        d["institution"] = (
            whitelisted_institutions(term.school, term.starts_on).filter(pk=inst).first() if inst else None
        )
        if inst and d["institution"] is None:
            form.add_error("institution", gettext("该机构不在本校所在地区的课后服务校外培训机构白名单内"))
        else:
            try:
                course = services.publish_course(term, acting_user=request.user, **d)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已发布课程：{course.name}")
                return redirect("afterschool:term", term.pk)
    return render(request, "afterschool/term.html", _term_context(request, term, course_form=form), status=400)


@login_required
@require_POST
def lottery(request, pk):
    term = get_visible_or_404(Term, request.user, VIEW, pk=pk)
    if not has_perm_at(request.user, MANAGE, term.school):
        return _forbidden(request)
    form = LotteryForm(request.POST)
    if form.is_valid():
        try:
            result = services.run_lottery(term, seed=form.cleaned_data["seed"], acting_user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"抽签完成：种子 {result['seed']}，报名{result['applications']}人次，"
                f"选上{result['winners']}人次，结果已公布",
            )
            return redirect("afterschool:term", term.pk)
    return render(request, "afterschool/term.html", _term_context(request, term, lottery_form=form), status=400)


@login_required
def course_detail(request, pk):
    user = request.user
    course = get_visible_or_404(Course, user, VIEW, pk=pk)
    selections = (
        Selection.objects.visible_to(user, VIEW)
        .filter(course=course)
        .select_related("student__klass")
        .order_by("status", "created_at")
    )
    sessions = (
        Session.objects.visible_to(user, VIEW)
        .filter(course=course)
        .annotate(
            absent=Count("attendance", filter=Q(attendance__present=False)),
            present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("-date")[:30]
    )
    return render(
        request,
        "afterschool/course.html",
        {"page_title": course.name, "course": course, "selections": selections, "sessions": sessions},
    )


# --- parents: selection and the survey --------------------------------------------------------


@login_required
def children(request):
    kids = list(Student.objects.visible_to(request.user, SELECT).select_related("school", "klass").order_by("pk"))
    if len(kids) == 1:
        return redirect("afterschool:choose", kids[0].pk)
    return render(request, "afterschool/children.html", {"page_title": "课后服务选课", "children": kids})


def _choose_context(request, student):
    term = services.term_for(student)
    ctx = {
        "page_title": f"课后服务选课 · {student.name}",
        "student": student,
        "term": term,
        "choose_url": reverse("afterschool:choose", args=[student.pk]),
    }
    if term is None:
        return ctx
    sels = {s.course_id: s for s in services.selections_of(student, term)}
    courses = services.courses_for(student, term)
    rows = [(c, sels.get(c.pk)) for c in courses]
    held = [s for s in sels.values() if s.status in ACTIVE]
    answered = services.survey_answer(student, term)
    ctx.update(
        rows=rows,
        state=services.window_state(term),
        held=len(held),
        mode=term.mode,
        lottery=term.mode == SelectionMode.LOTTERY,
        answered=answered,
        survey_open=timezone.localdate() >= term.starts_on and answered is None,
        survey_form=SurveyForm(),
    )
    return ctx


def _child(request, pk):
    return get_visible_or_404(Student, request.user, SELECT, pk=pk)


@login_required
def choose(request, pk):
    student = _child(request, pk)
    if request.method != "POST":
        return render(request, "afterschool/choose.html", _choose_context(request, student))
    course_pk = _int(request.POST.get("course"))
    term, course = catalogue.term_and_course(student.school_id, course_pk)  # the cached catalogue
    error, status, sel, held = None, 200, None, None
    try:
        if term is None:
            raise ValidationError({"course": gettext("孩子所在学校暂未开设课后服务课程")})
        action = request.POST.get("action")
        if term.mode == SelectionMode.LOTTERY:  # the card shows the applications counted now
            course = services.course_of_term(term, course_pk, with_applied=True)
        if course is None:
            raise ValidationError({"course": gettext("请选择课程")})
        if action == "select":
            # the child was read through the scope layer for this user and SELECT just above (_child)
            sel = services.select_course(student, course, acting_user=request.user, in_scope=True)
            done = f"已为{student.name}{'报名' if term.mode == SelectionMode.LOTTERY else '选上'}“{course.name}”"
        elif action == "withdraw":
            sel = next(
                (s for s in services.selections_of(student, term) if s.course_id == course.pk and s.status in ACTIVE),
                None,
            )
            if sel is None:
                raise ValidationError({"course": gettext("未选“{name}”，无需退选").format(name=course.name)})
            services.withdraw_selection(sel, acting_user=request.user)
            done = f"已退选“{course.name}”，名额已释放"
            sel = None  # the card and the count are read again below
        else:
            raise ValidationError({"course": gettext("请选择选课或退选")})
    except ValidationError as exc:
        error, status = "；".join(exc.messages), 400
        held = getattr(exc, "held", None)  # a refusal after the child's lock: what it read there
        if held is not None and not exc.full:
            course.taken = services.seats_taken(course)  # a clash or the limit: the card's seats as stored
    except PermissionDenied as exc:
        return _forbidden(request, str(exc))
    if request.htmx:  # only what changed: the message, the count and this course's card (out of band)
        return render(
            request,
            "afterschool/choose.html#answer",
            _answer_context(student, term, course, error, None if error else done, sel, held),
            status=status,
        )
    ctx = _choose_context(request, student)
    ctx.update(error=error, done=None if error else done)
    return render(request, "afterschool/choose.html", ctx, status=status)


def _answer_context(student, term, course, error, done, sel=None, held=None) -> dict:
    """The htmx answer. After a selection (`sel`) it is built from what the service already read
    under the child's lock — the active count and the seats taken — with no further query, and so
    after a refusal that came with the count read there (`held`: a clash, the limit, a full course,
    whose card then shows it full); after any other refusal or a withdrawal the child's selections
    are read once (and the card once more)."""
    ctx = {
        "student": student,
        "term": term,
        "error": error,
        "done": done,
        "oob": True,
        "choose_url": reverse("afterschool:choose", args=[student.pk]),
    }
    if term is None:
        return ctx
    ctx.update(state=services.window_state(term), lottery=term.mode == SelectionMode.LOTTERY)
    if sel is not None and course is not None:
        if hasattr(course, "applied_count"):
            course.applied_count += 1
        ctx.update(held=sel.active_count, c=course, sel=sel)
        return ctx
    if held is not None and course is not None:  # refused: the child holds no seat in this course
        ctx.update(held=held, c=course, sel=None)
        return ctx
    sels = services.selections_of(student, term)
    ctx.update(held=sum(1 for s in sels if s.status in ACTIVE))
    if course is not None:
        c = services.courses_for(student, term).filter(pk=course.pk).first() or course
        ctx.update(c=c, sel=next((s for s in reversed(sels) if s.course_id == course.pk), None))
    return ctx


@login_required
@require_POST
def survey(request, pk):
    student = _child(request, pk)
    term = services.term_for(student)
    form = SurveyForm(request.POST)
    if term is None:
        form.add_error(None, gettext("孩子所在学校暂未开设课后服务"))
    elif form.is_valid():
        try:
            services.answer_survey(term, student, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        else:
            messages.success(request, "感谢您的反馈，问卷已提交")
            return redirect("afterschool:choose", student.pk)
    ctx = _choose_context(request, student)
    ctx.update(survey_form=form, survey_open=term is not None)  # the form again, with its errors
    return render(request, "afterschool/choose.html", ctx, status=400)


# --- roll call (点名), phone-sized ------------------------------------------------------------


def _day(request) -> dt.date:
    raw = request.GET.get("date") or request.POST.get("date")
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError({"date": gettext("日期格式应为 2026-11-23")}) from None


def _roll_courses(user):
    """Courses a user may take roll for: their own as a teacher, any of the school as a manager."""
    return Course.objects.visible_to(user, ROLL).select_related("term", "teacher", "institution")


@login_required
def roll_today(request):
    user = request.user
    if not has_perm(user, ROLL):
        return _forbidden(request)
    today = timezone.localdate()
    courses = _roll_courses(user).meeting_on(today).order_by("period_from", "name")
    # ?mine=1 (the home to-do): a manager who also teaches sees the courses the to-do counted
    if not has_perm_at_any(user, ROLL) or request.GET.get("mine") == "1":
        courses = courses.filter(teacher__user=user)
    waiting = set(courses.awaiting_roll(today).values_list("pk", flat=True))  # the to-do's rule
    return render(
        request,
        "afterschool/roll_today.html",
        {"page_title": "今日点名", "today": today, "rows": [(c, c.pk not in waiting) for c in courses[:100]]},
    )


def has_perm_at_any(user, perm) -> bool:
    """Whether any grant of `perm` is a whole-subtree one (a manager), not only "@own"."""
    from mofang.platform.accounts.scope import grants_for

    return any(not g.own for g in grants_for(user, perm))


@login_required
def roll(request, pk):
    user = request.user
    course = get_visible_or_404(Course, user, ROLL, pk=pk)
    try:
        day = _day(request)
        session = services.session_for(course, day, acting_user=user)
    except ValidationError as exc:
        return render(
            request, "afterschool/message.html", {"page_title": "点名", "message": "；".join(exc.messages)}, status=400
        )
    except PermissionDenied as exc:
        return _forbidden(request, str(exc))
    error = done = None
    status = 200
    if request.method == "POST":
        try:
            session = services.submit_roll_call(
                session,
                absent_ids=[_int(x) for x in request.POST.getlist("absent") if _int(x) is not None],
                acting_user=user,
            )
        except ValidationError as exc:
            error, status = "；".join(exc.messages), 400
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        else:
            absent = session.attendance.filter(present=False).count()
            done = f"点名已提交：应到{session.attendance.count()}人，缺勤{absent}人" + (
                "，已通知缺勤学生家长" if absent else ""
            )
    students = list(services.roster(course))
    marks = dict(session.attendance.values_list("student_id", "present")) if session.pk else {}
    rows = [(s, marks.get(s.pk, True) is False) for s in students]
    absent = sum(1 for _, is_absent in rows if is_absent)
    ctx = {
        "page_title": f"点名 · {course.name}",
        "course": course,
        "session": session,
        "error": error,
        "done": done,
        "rows": rows,
        "absent": absent,
        "present": len(rows) - absent,
    }
    template = "afterschool/roll.html#sheet" if request.htmx else "afterschool/roll.html"
    return render(request, template, ctx, status=status)


# --- the figures ------------------------------------------------------------------------------


@login_required
def indicators(request):
    user = request.user
    if not has_perm(user, FIGURES):
        return _forbidden(request)
    period = year_period(request.GET.get("year"))
    schools = list(OrgUnit.objects.visible_to(user, FIGURES).filter(kind=OrgKind.SCHOOL).order_by("path")[:2000])
    figures = figures_by_school([s.pk for s in schools], period)
    regions = services.region_rows(schools, figures)
    total = services.total_of(figures.values())
    return render(
        request,
        "afterschool/indicators.html",
        {
            "page_title": "课后服务参与率与满意度",
            "period": period,
            "total": total,
            "regions": regions,
            "rows": [
                (s, figures[s.pk])
                for s in schools
                if figures[s.pk].students_total
                or figures[s.pk].students_participating
                or figures[s.pk].survey_responses
            ],
        },
    )


def _int(value):
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
