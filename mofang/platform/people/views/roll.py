"""Roll pages: a student's 学籍异动, and the year-end promotion preview and start (学年升级)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import REGION_KINDS, OrgKind, OrgUnit

from .. import grades, promotion
from .. import roll as roll_services
from ..forms import PromotionStartForm, RollChangeForm
from ..models import Student

PERM = promotion.PERM


def _refuse(message: str, status: int = 403) -> HttpResponse:
    return HttpResponse(f'<p class="error">{message}</p>', status=status)


# --- 学籍异动 of one student ---------------------------------------------------------------


def _apply(student, data, user):
    action = data["action"]
    common = {"acting_user": user, "occurred_on": data["occurred_on"]}
    if action == "suspend":
        return roll_services.suspend(student, reason=data["reason"], **common)
    if action == "resume":
        return roll_services.resume(student, grade=data["grade"], klass=data["klass"], reason=data["reason"], **common)
    if action == "transfer_out":
        return roll_services.transfer_out(student, to_school=data["other_school"], reason=data["reason"], **common)
    if action == "dropout":
        return roll_services.record_dropout(student, reason=data["reason"], **common)
    if action == "promote":
        return roll_services.promote(student, klass=data["klass"], **common)
    return roll_services.graduate(student, **common)


@login_required
def roll_change(request, pk):
    student = get_visible_or_404(Student, request.user, "people.change_student", pk=pk)
    classes = OrgUnit.objects.visible_to(request.user, "orgs.view_org").filter(
        path__startswith=student.school.path, kind=OrgKind.CLASS
    )
    form = RollChangeForm(request.POST or None, classes=classes, school=student.school)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _apply(student, form.cleaned_data, request.user)
                return redirect("web:student_detail", pk)
            except PermissionDenied as exc:
                return _refuse(str(exc) or "您没有执行该操作的权限")
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
        status = 400
    return render(
        request,
        "web/form.html",
        {
            "page_title": f"学籍异动：{student.name}（{student.get_status_display()}，{student.grade_name or '年级未登记'}）",
            "form": form,
            "obj": student,
            "cancel_url": reverse("web:student_detail", args=[pk]),
        },
        status=status,
    )


# --- 学年升级 ------------------------------------------------------------------------------


def _regions(user):
    return list(OrgUnit.objects.visible_to(user, PERM).filter(kind__in=REGION_KINDS).order_by("path"))


@login_required
def promotion_preview(request):
    user = request.user
    if not has_perm(user, PERM):
        return _refuse(gettext("您没有学年升级的权限"))
    regions = _regions(user)
    if not regions:
        return _refuse(gettext("您的数据范围内没有区县"))
    raw_org = request.GET.get("org") or ""
    if raw_org:
        if not raw_org.isdigit():
            return HttpResponseBadRequest("地区参数无效")
        org = get_visible_or_404(OrgUnit, user, PERM, pk=int(raw_org))
        if org.kind not in REGION_KINDS:
            return HttpResponseBadRequest("地区参数无效：请选择省、市或区县")
    else:
        org = regions[0]
    years = promotion.target_years()
    raw_year = request.GET.get("year") or ""
    if raw_year and (not raw_year.isdigit() or int(raw_year) not in years):
        return HttpResponseBadRequest("学年参数无效：只能升入本学年或下一学年")
    year = int(raw_year) if raw_year else years[0]
    pv = promotion.preview(user, target=year, org=org)
    return render(
        request,
        "people/promotion.html",
        {
            "page_title": "学年升级",
            "org": org,
            "regions": regions,
            "year": year,
            "years": [(y, grades.school_year_name(y)) for y in years],
            "year_name": grades.school_year_name(year),
            "prev_name": grades.school_year_name(year - 1),
            "preview": pv,
        },
    )


@login_required
@require_POST
def promotion_start(request, org):
    user = request.user
    if not has_perm(user, PERM):
        return _refuse(gettext("您没有学年升级的权限"))
    org = get_visible_or_404(OrgUnit, user, PERM, pk=org)
    form = PromotionStartForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("；".join(e for errors in form.errors.values() for e in errors))
    try:
        job = promotion.start_promotion(org, target=form.cleaned_data["year"], acting_user=user)
    except PermissionDenied as exc:
        return _refuse(str(exc))
    except ValidationError as exc:
        return HttpResponseBadRequest("；".join(exc.messages))
    return redirect("jobs:detail", job.pk)
