"""一校一单: the school's page (profile flags → its list; tick this month's items) and the
county's overview of completion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .. import checklist
from ..forms import SafetyChecklistForm
from ..models import ChecklistTick, SchoolSafetyProfile
from ..roles import TICK_CHECKLIST, VIEW_CHECKLIST

# the flags are the profile's own boolean fields (get_field is typed to return a relation too)
FLAG_LABELS = [(f, getattr(SchoolSafetyProfile._meta.get_field(f), "verbose_name", f)) for f in checklist.FLAGS]


def _period(request) -> str | None:
    """The month asked for in the address (a posted month is the form's)."""
    raw = request.GET.get("period")
    return checklist.current_period() if not raw else checklist.parse_period(raw)


def _bad(message: str):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@login_required
def school_page(request):
    """The school's own list for a month; its 护校安园 group ticks it and keeps the profile."""
    if not has_perm(request.user, TICK_CHECKLIST):
        raise Http404("页面不存在或您没有权限")
    schools = list(OrgUnit.objects.visible_to(request.user, TICK_CHECKLIST).filter(kind=OrgKind.SCHOOL))
    if not schools:
        raise Http404("页面不存在或您没有权限")
    form = SafetyChecklistForm(request.POST) if request.method == "POST" else None
    if form is not None:
        form.is_valid()  # every field checked; the school and the month are needed for the page too
        if "period" in form.errors:
            return _bad(form.errors["period"][0])
        raw_school = str(form.cleaned_data.get("school") or "") or request.GET.get("school")
        period = form.cleaned_data["period"]
    else:
        raw_school, period = request.GET.get("school"), _period(request)
        if period is None:
            return _bad(gettext("周期：请按“年-月”填写，如2026-11"))
    if raw_school:
        school = next((s for s in schools if str(s.pk) == raw_school), None)
        if school is None:
            raise Http404("学校不存在或不在您的数据范围内")
    else:
        school = schools[0]
    error = ""
    if form is not None:
        if not form.errors:
            try:
                if form.cleaned_data["action"] == "profile":
                    checklist.save_profile(school, acting_user=request.user, **form.flags)
                    messages.success(request, "学校安全档案已保存，一校一单已按档案更新")
                else:
                    checklist.set_ticks(school, period, form.ticked, acting_user=request.user)
                    messages.success(request, f"{period}一校一单已保存")
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect(f"{request.path}?school={school.pk}&period={period}")
        error = "；".join(form.error_lines())
    profile = SchoolSafetyProfile.objects.visible_to(request.user, TICK_CHECKLIST).filter(
        school=school
    ).first() or checklist.default_profile(school)
    ticks = {
        t.item: t
        for t in ChecklistTick.objects.visible_to(request.user, TICK_CHECKLIST).filter(school=school, period=period)
    }
    items = [
        {"item": i, "tick": ticks.get(i.code), "why": dict(FLAG_LABELS).get(i.flag, "") if i.flag else "通用"}
        for i in checklist.items_for(profile)
    ]
    return render(
        request,
        "campus_safety/checklist.html",
        {
            "page_title": f"{school.name}一校一单",
            "school": school,
            "schools": schools,
            "period": period,
            "profile": profile,
            "profiled": profile.pk is not None,
            "flags": [(f, label, getattr(profile, f)) for f, label in FLAG_LABELS],
            "items": items,
            "done": sum(1 for i in items if i["tick"]),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def overview(request):
    """Completion of 一校一单 per school in the user's scope for a month."""
    if not has_perm(request.user, VIEW_CHECKLIST):
        raise Http404("页面不存在或您没有权限")
    period = _period(request)
    if period is None:
        return _bad(gettext("周期：请按“年-月”填写，如2026-11"))
    schools = OrgUnit.objects.visible_to(request.user, VIEW_CHECKLIST).filter(kind=OrgKind.SCHOOL).order_by("path")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        schools = schools.filter(name__icontains=q)
    page = Paginator(schools, 100).get_page(request.GET.get("page"))
    rows = checklist.completion(page.object_list, period)
    return render(
        request,
        "campus_safety/checklist_overview.html",
        {"page_title": f"一校一单完成情况（{period}）", "period": period, "page": page, "rows": rows, "q": q},
    )
