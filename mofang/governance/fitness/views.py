"""体质健康 pages: a class's entry form, a child's report (page and PDF), parents' children, rates.

Views parse, reach rows through the scope layer and call the services; a refused form answers 400
with the Chinese message on its cell, an out-of-scope object 404 (as a missing one).
"""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.people.roll import current_school_year

from . import pdf, services
from .models import MEASURED, FitnessResult
from .scoring import ITEMS, fmt_value, items_for
from .selectors import CHILD, RATES, rates, report_of, results_of, visible_results, visible_students, years_with_results

ENTER = services.ENTER
IMPORT = "fitness.import_result"
ON_ROLL = (RollStatus.ENROLLED, RollStatus.SUSPENDED)
LONG_RUNS = ("run_50x8", "run_1000m", "run_800m")  # written in minutes and seconds: 3'55"
MAX_SCHOOLS_LISTED = 200  # above this (a city, the province), only schools with results are listed


def _forbidden(request, message="您没有权限查看体质健康数据"):
    return render(request, "fitness/message.html", {"page_title": "没有权限", "message": message}, status=403)


@login_required
def index(request):
    user = request.user
    if has_perm(user, ENTER):
        return redirect("fitness:classes")
    if has_perm(user, RATES):
        return redirect("fitness:rates")
    if has_perm(user, CHILD):
        return redirect("fitness:my")
    return _forbidden(request)


# --- a class's form ---------------------------------------------------------------------------


@login_required
def classes(request):
    """The classes the user may enter results for, with this year's results so far."""
    if not has_perm(request.user, ENTER):
        return _forbidden(request, "您没有权限录入体质健康成绩")
    year = current_school_year()
    units = list(
        OrgUnit.objects.visible_to(request.user, ENTER)
        .filter(kind=OrgKind.CLASS)
        .order_by("path")
        .only("id", "name", "path")[:500]
    )
    done = dict(
        FitnessResult.objects.visible_to(request.user, ENTER)
        .filter(school_year=year, klass_id__in=[u.pk for u in units])
        .values_list("klass_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    on_roll = dict(
        Student.objects.visible_to(request.user, ENTER)
        .filter(klass_id__in=[u.pk for u in units], status__in=ON_ROLL)
        .values_list("klass_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [(u, on_roll.get(u.pk, 0), done.get(u.pk, 0)) for u in units]
    return render(
        request,
        "fitness/classes.html",
        {"page_title": "体质健康成绩录入", "rows": rows, "year": year, "can_import": has_perm(request.user, IMPORT)},
    )


def _columns(students) -> list[str]:
    present: set[str] = set()
    for s in students:
        if services.scorable(s.grade):
            present.update(items_for(s.grade, s.sex))
    return [c for c in MEASURED if c in present]


def _sheet(request, klass, *, cells=None, cell_errors=None, error="", done=""):
    year = current_school_year()
    students = list(
        Student.objects.visible_to(request.user, ENTER).filter(klass=klass, status__in=ON_ROLL).order_by("name", "pk")
    )
    columns = _columns(students)
    stored = {
        r.student_id: r
        for r in FitnessResult.objects.visible_to(request.user, ENTER).filter(
            school_year=year, student_id__in=[s.pk for s in students]
        )
    }
    cell_errors = cell_errors or {}
    rows = []
    for s in students:
        allowed = set(items_for(s.grade, s.sex)) if services.scorable(s.grade) else set()
        result = stored.get(s.pk)
        line = []
        for code in columns:
            if cells is not None:
                value = cells.get(s.pk, {}).get(code, "")
            else:
                raw = getattr(result, code) if result is not None else None
                value = "" if raw is None else fmt_value(code, raw)
            line.append(
                {
                    "name": f"c-{s.pk}-{code}",
                    "code": code,
                    "label": ITEMS[code].label,
                    "value": value,
                    "enabled": code in allowed,
                    "error": cell_errors.get(s.pk, {}).get(code, ""),
                }
            )
        rows.append({"student": s, "cells": line, "result": result, "error": cell_errors.get(s.pk, {}).get("", "")})
    return {
        "page_title": f"体质健康成绩录入 · {klass.name}",
        "klass": klass,
        "year": year,
        "headers": [(c, ITEMS[c].label, ITEMS[c].unit, c in LONG_RUNS) for c in columns],
        "rows": rows,
        "error": error,
        "done": done,
        "bad": sum(1 for r in cell_errors.values() for _ in r),
    }


@login_required
def class_sheet(request, pk):
    klass = get_visible_or_404(OrgUnit, request.user, ENTER, pk=pk, kind=OrgKind.CLASS)
    status = 200
    if request.method == "POST":
        students = list(
            Student.objects.visible_to(request.user, ENTER).filter(klass=klass, status__in=ON_ROLL).order_by("pk")
        )
        cells: dict[int, dict[str, str]] = {s.pk: {} for s in students}
        for key, value in request.POST.items():
            parts = key.split("-")
            if len(parts) != 3 or parts[0] != "c" or not parts[1].isdigit() or parts[2] not in ITEMS:
                continue
            sid = int(parts[1])
            if sid in cells:
                cells[sid][parts[2]] = value[:20]
        try:
            saved, _ = services.save_class_results(klass, students, cells, acting_user=request.user)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        except ValidationError as exc:
            ctx = _sheet(
                request, klass, cells=cells, cell_errors=getattr(exc, "cell_errors", {}), error="；".join(exc.messages)
            )
            status = 400
        else:
            ctx = _sheet(request, klass, done=f"已保存{saved}名学生的成绩，并已按标准评分")
    else:
        ctx = _sheet(request, klass)
    template = "fitness/class_sheet.html#sheet" if request.htmx else "fitness/class_sheet.html"
    return render(request, template, ctx, status=status)


# --- a child's report -----------------------------------------------------------------------


def _report(request, pk, year=None):
    student = visible_students(request.user).filter(pk=pk).first()
    if student is None:
        raise Http404("学生不存在或不在您的数据范围内")
    history = results_of(student, request.user)
    if year is not None:
        chosen = next((r for r in history if r.school_year.start_year == year), None)
        if chosen is None:
            raise Http404("该学年没有体质健康测试成绩")
    else:
        chosen = history[0] if history else None
    report = report_of(chosen, history) if chosen is not None else None
    return student, history, report


def _year_param(request):
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not (raw.isdigit() and len(raw) == 4):
        raise Http404("学年参数无效")
    return int(raw)


@login_required
def student_report(request, pk):
    student, history, report = _report(request, pk, _year_param(request))
    return render(
        request,
        "fitness/report.html",
        {"page_title": f"体质健康报告 · {student.name}", "student": student, "history": history, "report": report},
    )


@login_required
def student_pdf(request, pk):
    student, _history, report = _report(request, pk, _year_param(request))
    if report is None:
        raise Http404("暂无体质健康测试成绩")
    try:
        data = pdf.report_pdf(student, report)
    except pdf.FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    resp = HttpResponse(data, content_type="application/pdf")
    name = f"{student.name}体质健康报告{report.result.school_year}.pdf"
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return resp


@login_required
def my_children(request):
    """A parent's children (the guardianship scope): one child goes straight to the report."""
    if not has_perm(request.user, CHILD):
        return redirect("fitness:index")
    kids = list(Student.objects.visible_to(request.user, CHILD).select_related("school", "klass").order_by("pk"))
    if len(kids) == 1:
        return redirect("fitness:student", kids[0].pk)
    latest = {
        r.student_id: r
        for r in visible_results(request.user)
        .filter(student_id__in=[k.pk for k in kids])
        .select_related("school_year")
        .order_by("school_year__start_year")
    }
    return render(
        request, "fitness/my.html", {"page_title": "孩子的体质健康", "rows": [(k, latest.get(k.pk)) for k in kids]}
    )


# --- rates ---------------------------------------------------------------------------------


@login_required
def rates_page(request):
    if not has_perm(request.user, RATES):
        return _forbidden(request)
    years = years_with_results()
    year = current_school_year()
    raw = request.GET.get("year", "")
    if raw:
        year = next((y for y in years if str(y.start_year) == raw), None)
        if year is None:
            return render(
                request, "fitness/message.html", {"page_title": "合格率与优良率", "message": "学年参数无效"}, status=400
            )
    r = rates(request.user, year)
    schools = r.schools
    if len(schools) > MAX_SCHOOLS_LISTED:
        schools = [row for row in schools if row[1].tested]
    return render(
        request,
        "fitness/rates.html",
        {"page_title": "体质健康合格率与优良率", "rates": r, "schools": schools, "years": years, "year": year},
    )
