"""指标目标: an administrator sets targets per org unit and year for their region and its children."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgUnit

from ..models import Target
from ..roles import CHANGE_TARGET
from ..selectors import indicators_for, values_for
from ..services import set_target
from . import REPORTING_KINDS, org_from_request, visible_breadcrumb


def _year(raw) -> int | None:
    if not raw:
        return timezone.localdate().year
    if not str(raw).isdigit() or not 2000 <= int(raw) <= 2100:
        return None
    return int(raw)


@login_required
def targets(request):
    if not has_perm(request.user, CHANGE_TARGET):
        raise Http404("页面不存在或您没有权限")
    indicators = list(indicators_for(request.user))
    code = request.GET.get("indicator") or (indicators[0].code if indicators else "")
    indicator = next((i for i in indicators if i.code == code), None)
    if indicator is None:
        raise Http404("指标不存在")
    org = org_from_request(request, CHANGE_TARGET)
    errors = {}
    year = _year(request.GET.get("year"))
    if year is None:
        errors["year"] = "年度应为2000至2100之间的年份"
        year = timezone.localdate().year
    if request.method == "POST" and not errors:
        raw_org = request.POST.get("target_org", "")
        raw = (request.POST.get("value") or "").strip()
        if raw_org:  # one of the rows (the region or a child); else the org named in the address
            if not raw_org.isdigit() or len(raw_org) > 12:
                raise Http404("机构不存在或不在您的数据范围内")
            target_org = get_visible_or_404(OrgUnit, request.user, CHANGE_TARGET, pk=int(raw_org))
        else:
            target_org = org
        try:
            value = Decimal(raw) if raw else None
            if value is not None and not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors["value"] = "目标值应为数字"
        else:
            try:
                set_target(indicator=indicator, org=target_org, year=year, value=value, acting_user=request.user)
            except ValidationError as exc:
                errors.update({k: "；".join(v) for k, v in exc.message_dict.items()})
        if not errors:
            return redirect(f"{request.path}?indicator={indicator.code}&year={year}&org={org.pk}")
    children = list(
        OrgUnit.objects.visible_to(request.user, CHANGE_TARGET)
        .filter(path__startswith=org.path, depth=org.depth + 1, kind__in=REPORTING_KINDS)
        .order_by("path")
    )
    units = [org, *children]
    current = dict(
        Target.objects.visible_to(request.user, CHANGE_TARGET)
        .filter(indicator=indicator, year=year, org__in=units)
        .values_list("org_id", "value")
    )
    values = values_for(indicator, [u.pk for u in units], str(year))
    rows = [{"org": u, "target": current.get(u.pk), "value": values[u.pk]} for u in units]
    ctx = {
        "page_title": "指标目标",
        "indicators": indicators,
        "indicator": indicator,
        "org": org,
        "year": year,
        "rows": rows,
        "errors": errors,
        "breadcrumb": visible_breadcrumb(request.user, CHANGE_TARGET, org),
        "years": range(timezone.localdate().year - 2, timezone.localdate().year + 4),
    }
    return render(request, "indicators/targets.html", ctx, status=400 if errors else 200)
