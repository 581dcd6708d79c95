"""工作日历 page: the year's national arrangement, the bureau's own days (add/remove with the change
permission), a warning when the national calendar does not know the year, and a small calculator
("从某日起 N 个工作日后是哪天") on the calendar of the user's own unit."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit

from .. import services
from ..calendar import MAX_WORKING_DAYS, WorkCalendar, official_known, special_days
from ..models import BureauDay, DayKind
from ..roles import CHANGE, VIEW

FIELD_LABELS = {
    "year": "年度",
    "date": "日期",
    "kind": "类别",
    "name": "名称或事由",
    "org": "适用地区",
    "from": "起算日期",
    "n": "工作日数",
}


def _date(raw: str, field: str, errors: dict) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        errors[field] = f"请填写{FIELD_LABELS[field]}"
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or len(raw) != 10 or not 2000 <= value.year <= 2100:
        errors[field] = f"{FIELD_LABELS[field]}不是有效的日期（格式：2026-10-01）"
        return None
    return value


def _year(raw, errors: dict) -> int:
    if raw in (None, ""):
        return timezone.localdate().year
    if not str(raw).isdigit() or not 2000 <= int(raw) <= 2100:
        errors["year"] = "年度应为2000至2100之间的年份"
        return timezone.localdate().year
    return int(raw)


def _home_org(user):
    """The unit whose calendar the page computes with: the user's first unit holding the view grant."""
    grants = grants_for(user, VIEW)
    return OrgUnit.objects.visible_to(user, VIEW).filter(pk=grants[0].org_id).first() if grants else None


def _add(request, errors: dict) -> BureauDay | None:
    date = _date(request.POST.get("date"), "date", errors)
    raw_org = request.POST.get("org", "")
    org = None
    if not raw_org.isdigit() or len(raw_org) > 12:
        errors["org"] = "请选择适用地区"
    else:
        org = OrgUnit.objects.visible_to(request.user, CHANGE).filter(pk=int(raw_org), kind__in=REGION_KINDS).first()
        if org is None:
            errors["org"] = "适用地区不存在或不在您的数据范围内"
    if errors or date is None:
        return None
    try:
        return services.add_bureau_day(
            org=org,
            date=date,
            kind=request.POST.get("kind", ""),
            name=request.POST.get("name", ""),
            acting_user=request.user,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            errors.update({k: "；".join(v) for k, v in exc.message_dict.items()})
        else:
            errors["__all__"] = "；".join(exc.messages)
    return None


@login_required
def calendar_page(request):
    user = request.user
    if not has_perm(user, VIEW):
        raise Http404("页面不存在或您没有权限")
    errors: dict[str, str] = {}
    status = 200
    may_change = has_perm(user, CHANGE)
    year = _year(request.GET.get("year"), errors)
    if request.method == "POST":
        if not may_change:
            errors["__all__"] = "您没有维护工作日历的权限"
            status = 403
        else:
            day = _add(request, errors)
            if day is not None:
                messages.success(
                    request, f"已录入：{day.org.name}{day.date:%Y-%m-%d}{day.get_kind_display()}（{day.name}）"
                )
                return redirect(f"{request.path}?year={day.date.year}")
    home = _home_org(user)
    calc = None
    if request.GET.get("from") or request.GET.get("n"):
        start = _date(request.GET.get("from"), "from", errors)
        raw_n = (request.GET.get("n") or "").strip()
        n = int(raw_n) if raw_n.isdigit() and len(raw_n) <= 5 else None
        if n is None or n > MAX_WORKING_DAYS:
            errors["n"] = f"工作日数应为0至{MAX_WORKING_DAYS}之间的整数"
        if start is not None and n is not None and "n" not in errors:
            cal = WorkCalendar(home)
            result = cal.add(start, n)
            calc = {
                "start": start,
                "n": n,
                "result": cal.day(result),
                "known": all(official_known(y) for y in range(start.year, result.year + 1)),
            }
    days = list(
        BureauDay.objects.visible_to(user, VIEW)
        .filter(date__year=year)
        .select_related("org", "created_by")
        .order_by("date", "org__path")
    )
    change_orgs = (
        list(OrgUnit.objects.visible_to(user, CHANGE).filter(kind__in=REGION_KINDS).order_by("path")[:500])
        if may_change
        else []
    )
    changeable = {o.pk for o in change_orgs}
    national = [d for d in special_days(year) if d.source == "national"]
    effective = special_days(year, home) if home is not None else []
    if errors and status == 200:
        status = 400
    ctx = {
        "page_title": "工作日历",
        "year": year,
        "years": range(timezone.localdate().year - 2, timezone.localdate().year + 3),
        "known": official_known(year),
        "national": national,
        "days": days,
        "home": home,
        "local_effective": [d for d in effective if d.source == "bureau"],
        "changeable": changeable,
        "may_change": may_change,
        "change_orgs": change_orgs,
        "kinds": DayKind.choices,
        "calc": calc,
        "errors": [(k, FIELD_LABELS.get(k, ""), v) for k, v in errors.items()],
        "form": request.POST if request.method == "POST" else {},
        "query": request.GET,
    }
    return render(request, "workdays/calendar.html", ctx, status=status)


@login_required
@require_POST
def delete_day(request, pk: int):
    day = get_visible_or_404(BureauDay, request.user, CHANGE, pk=pk)
    year = day.date.year
    try:
        services.remove_bureau_day(day, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除：{day.org.name}{day.date:%Y-%m-%d}（{day.name}）")
    return redirect(f"{reverse('workdays:calendar')}?year={year}")
