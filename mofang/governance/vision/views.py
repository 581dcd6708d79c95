"""视力健康 pages: a class's results entered on one form, 近视率 against the target, a parent's
view of their children's screenings.

Views parse, reach rows through the scope layer and call the services; a refused form answers
400 with each cell's Chinese message, a permission refusal 403, an out-of-scope object 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils import timezone

from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm
from mofang.platform.imports.parsers import parse_date
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import RollStatus, Student

from . import selectors, services
from .models import Letter, Screening, round_of
from .roles import FIGURES, IMPORT, OWN, RECORD, VIEW

CELLS = [
    ("right_acuity", "右裸眼"),
    ("left_acuity", "左裸眼"),
    ("right_sphere", "右球镜"),
    ("right_cylinder", "右柱镜"),
    ("right_axis", "右轴位"),
    ("left_sphere", "左球镜"),
    ("left_cylinder", "左柱镜"),
    ("left_axis", "左轴位"),
]


def _forbidden(request, message="您没有权限查看该页面"):
    return render(request, "vision/message.html", {"page_title": "没有权限", "message": message}, status=403)


@login_required
def index(request):
    user = request.user
    if has_perm(user, OWN):
        return redirect("vision:my")
    if has_perm(user, RECORD):
        return redirect("vision:classes")
    if has_perm(user, FIGURES):
        return redirect("vision:rates")
    return _forbidden(request)


# --- a class's results --------------------------------------------------------------------------


@login_required
def classes(request):
    user = request.user
    if not has_perm(user, RECORD):
        return _forbidden(request)
    year, term = round_of(timezone.localdate())
    rows = list(OrgUnit.objects.visible_to(user, RECORD).filter(kind=OrgKind.CLASS).order_by("path")[:300])
    done = {}
    for klass_id in (
        Screening.objects.visible_to(user, RECORD)
        .filter(school_year=year, term=term, klass_id__in=[c.pk for c in rows])
        .values_list("klass_id", flat=True)
    ):
        done[klass_id] = done.get(klass_id, 0) + 1
    return render(
        request,
        "vision/classes.html",
        {
            "page_title": "视力筛查录入",
            "may_import": has_perm(user, IMPORT),
            "rows": [(c, done.get(c.pk, 0)) for c in rows],
            "round_name": f"{year}-{year + 1}学年第{'一' if term == 1 else '二'}学期",
        },
    )


def _class_students(user, klass):
    return list(
        Student.objects.visible_to(user, RECORD)
        .filter(klass=klass, status__in=(RollStatus.ENROLLED, RollStatus.SUSPENDED))
        .order_by("student_no")
    )


@login_required
def class_entry(request, pk):
    user = request.user
    if not has_perm(user, RECORD):
        return _forbidden(request)
    klass = get_visible_or_404(OrgUnit, user, RECORD, pk=pk, kind=OrgKind.CLASS)
    students = _class_students(user, klass)
    today = timezone.localdate()
    raw_date = (request.POST.get("screened_on") if request.method == "POST" else request.GET.get("date")) or ""
    errors: dict[str, str] = {}
    try:
        day = parse_date(raw_date.strip()) if raw_date.strip() else today
        problem = services.check_date(day)
    except ValidationError as exc:
        day, problem = today, "；".join(exc.messages)
    if problem:
        errors["screened_on"] = problem
    year, term = round_of(day)
    existing = {
        s.student_id: s
        for s in Screening.objects.visible_to(user, RECORD).filter(student__in=students, school_year=year, term=term)
    }
    status, done = 200, ""
    values: dict[int, dict] = {}
    if request.method == "POST":
        results = []
        for st in students:
            raw = {f: request.POST.get(f"{f}-{st.pk}", "") for f, _ in CELLS}
            raw["glasses"] = request.POST.get(f"glasses-{st.pk}", "none")
            values[st.pk] = raw
            if not any(raw[f].strip() for f, _ in CELLS):
                continue  # not screened (absent): left out
            parsed, row_errors = {}, []
            for f, _ in CELLS:
                parsed[f], problem = services.parse_value(raw[f], f)
                if problem:
                    row_errors.append((f, problem))
            glasses, problem = services.parse_glasses(raw["glasses"])
            if problem:
                row_errors.append(("glasses", problem))
            if not row_errors:
                row_errors = services.cross_check(parsed)
            for f, message in row_errors:
                errors[f"{f}-{st.pk}"] = message
            results.append(services.Result(st.pk, st.school_id, st.klass_id, st.grade, day, parsed, glasses or "none"))
        if not results and not errors:
            errors["form"] = "请至少填写一名学生的裸眼视力"
        counts: dict | None = {}
        if errors:
            status = 400
        else:
            try:
                counts = services.record_class(klass, results, acting_user=user)
            except PermissionDenied:
                return _forbidden(request, "您无权录入该班级的视力筛查结果")
            except IntegrityError:  # another save of the same pupils' round won the race
                counts = None
        if counts is None:
            errors["form"] = "本班结果正在被他人同时保存，未保存任何结果，请刷新页面后重试"
            status = 400  # htmx swaps 400 answers in place (web/base.html)
        elif not errors:
            done = f"已保存{counts['created'] + counts['updated']}名学生的筛查结果" + (
                f"，向{counts['letters']}名新筛出近视学生的家长发出告家长书" if counts["letters"] else ""
            )
            existing = {
                s.student_id: s
                for s in Screening.objects.visible_to(user, RECORD).filter(
                    student__in=students, school_year=year, term=term
                )
            }
            values = {}
    rows = []
    for st in students:
        s = existing.get(st.pk)
        v = values.get(st.pk)
        if v is None:
            v = {f: ("" if s is None else _fmt(f, getattr(s, f))) for f, _ in CELLS}
            v["glasses"] = s.glasses if s else "none"
        cells = [(f, label, v[f], errors.get(f"{f}-{st.pk}", "")) for f, label in CELLS]
        rows.append(
            {
                "student": st,
                "cells": cells,
                "glasses": v["glasses"],
                "screening": s,
                "glasses_error": errors.get(f"glasses-{st.pk}", ""),
            }
        )
    context = {
        "page_title": f"{klass.name} · 视力筛查录入",
        "klass": klass,
        "rows": rows,
        "day": day,
        "raw_date": raw_date or day.isoformat(),
        "errors": errors,
        "error_count": len(errors),
        "done": done,
        "glasses_choices": services.Glasses.choices,
        "round_name": f"{year}-{year + 1}学年第{'一' if term == 1 else '二'}学期",
    }
    template = "vision/class_entry.html#sheet" if request.headers.get("HX-Request") else "vision/class_entry.html"
    return render(request, template, context, status=status)


def _fmt(field: str, value) -> str:
    """A stored value as the form shows it: 4.8, −1.25 as -1.25, +0.50, 180."""
    if value is None:
        return ""
    if field.endswith("axis"):
        return str(value)
    if field.endswith(("acuity", "corrected")):
        return f"{value:.1f}"
    return f"{value:+.2f}" if value else "0.00"


# --- 近视率 --------------------------------------------------------------------------------------


@login_required
def rates(request):
    user = request.user
    grants = grants_for(user, FIGURES)
    if not grants:
        return _forbidden(request)
    current = round_of(timezone.localdate())[0]
    try:
        year = int(request.GET.get("year") or current)
    except ValueError:
        year = current
    if not 2000 <= year <= current + 1:
        year = current
    org_id = request.GET.get("org")
    if org_id:
        org = get_visible_or_404(OrgUnit, user, FIGURES, pk=org_id)
    else:
        org = min((g for g in grants if not g.own), key=lambda g: len(g.path), default=None)
        if org is None:
            return _forbidden(request)
        org = get_visible_or_404(OrgUnit, user, FIGURES, pk=org.org_id)
    total, parts, by_grade = selectors.figures(user, org, year)
    return render(
        request,
        "vision/rates.html",
        {
            "page_title": "近视率",
            "org": org,
            "year": year,
            "year_name": f"{year}-{year + 1}学年",
            "last_name": f"{year - 1}-{year}学年",
            "years": list(range(current, current - 5, -1)),
            "total": total,
            "parts": parts,
            "by_grade": by_grade,
            "crumbs": [o for o in org.breadcrumb() if any(o.path.startswith(g.path) for g in grants)],
        },
    )


# --- parents ------------------------------------------------------------------------------------


@login_required
def my(request):
    user = request.user
    if not has_perm(user, OWN):
        return _forbidden(request)
    children = list(Student.objects.visible_to(user, OWN).select_related("school", "klass").order_by("name"))
    screenings: dict[int, list] = {}
    for s in Screening.objects.visible_to(user, OWN).filter(student__in=children).order_by("-school_year", "-term"):
        screenings.setdefault(s.student_id, []).append(s)
    letters = set(
        Letter.objects.visible_to(user, OWN)
        .filter(screening__student__in=children)
        .values_list("screening_id", flat=True)
    )
    return render(
        request,
        "vision/my.html",
        {
            "page_title": "孩子的视力",
            "children": [(c, screenings.get(c.pk, [])) for c in children],
            "letters": letters,
            "advice": services.ADVICE,
        },
    )


@login_required
def screening_detail(request, pk):
    user = request.user
    if not has_perm(user, VIEW):
        return _forbidden(request)
    s = get_visible_or_404(Screening, user, VIEW, pk=pk)
    history = Screening.objects.visible_to(user, VIEW).filter(student_id=s.student_id).order_by("-school_year", "-term")
    return render(
        request, "vision/screening.html", {"page_title": f"{s.student.name}的视力筛查", "s": s, "history": history}
    )
