"""The region dashboard (open hazards by category and unit, on-time rates, slowest departments)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.orgs.models import REGION_KINDS, OrgUnit

from .. import dashboard
from ..roles import VIEW


def _date(raw, default, label):
    if not raw:
        return default
    try:
        d = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{label}：日期格式应为2026-11-23") from None
    if not dt.date(2000, 1, 1) <= d <= dt.date(2100, 12, 31):
        raise ValueError(f"{label}：日期须在2000年至2100年之间")
    return d


@login_required
def index(request):
    if not has_perm(request.user, VIEW):
        raise Http404("页面不存在或您没有权限")
    regions = list(OrgUnit.objects.visible_to(request.user, VIEW).filter(kind__in=REGION_KINDS).order_by("path"))
    region = None
    raw = request.GET.get("region")
    if raw:
        region = next((r for r in regions if str(r.pk) == raw), None)
        if region is None:
            return HttpResponseBadRequest("地区：请从列表中选择", content_type="text/plain; charset=utf-8")
    today = timezone.localdate()
    try:
        start = _date(request.GET.get("start"), today.replace(month=1, day=1), "开始日期")
        end = _date(request.GET.get("end"), today, "结束日期")
        if end < start:
            raise ValueError("结束日期：不能早于开始日期")
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    data = dashboard.build(request.user, region=region, start=start, end=end)
    charts = {"categories": [{"name": n, "value": v} for n, v in data["categories"]], "units": data["chart_units"]}
    return render(
        request,
        "campus_safety/dashboard.html",
        {
            "page_title": f"{region.name if region else ''}校园安全态势",
            "regions": regions,
            "region": region,
            "start": start,
            "end": end,
            "d": data,
            "charts": charts,
        },
    )
