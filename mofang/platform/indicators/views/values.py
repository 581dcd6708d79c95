"""指标目录 and an indicator's values for a region and its children (with targets and 数据截至)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from mofang.platform.accounts.scope import has_perm, has_perm_at

from ..periods import current_period, parse_period
from ..registry import FACT_SOURCES, IMPORTED_FACT_NAMES, is_imported
from ..roles import CHANGE_TARGET, VIEW
from ..selectors import child_values, indicator_value, indicators_for, series
from . import REPORTING_KINDS, org_from_request, visible_breadcrumb


def fact_label(code: str) -> str:
    if not code:
        return ""
    if code in FACT_SOURCES:
        return FACT_SOURCES[code].name
    if code in IMPORTED_FACT_NAMES:
        return f"{IMPORTED_FACT_NAMES[code]}（导入统计）"
    if is_imported(code):
        return f"其他导入统计（{code}）"
    return f"{code}（数据源未接入）"


def has_source(code: str) -> bool:
    return code in FACT_SOURCES or is_imported(code)


@login_required
def catalogue(request):
    if not has_perm(request.user, VIEW):
        raise Http404("页面不存在或您没有权限")
    indicators = list(indicators_for(request.user))
    rows = [
        {
            "ind": i,
            "num": fact_label(i.numerator),
            "den": fact_label(i.denominator),
            "ready": all(has_source(f) for f in i.facts),
        }
        for i in indicators
    ]
    return render(request, "indicators/catalogue.html", {"page_title": "指标目录", "rows": rows})


def _period(request, indicator):
    raw = request.GET.get("period")
    if not raw:
        return current_period(indicator.period_type), ""
    try:
        return parse_period(raw), ""
    except ValueError as exc:
        return current_period(indicator.period_type), str(exc)


@login_required
def detail(request, code):
    indicator = indicators_for(request.user).filter(code=code).first()
    if indicator is None:
        raise Http404("指标不存在或您没有权限")
    org = org_from_request(request, VIEW)
    period, error = _period(request, indicator)
    own = indicator_value(code, org, period.key)
    children = [(c, v) for c, v in child_values(code, org, period.key) if c.kind in REPORTING_KINDS]
    years = [str(period.year - i) for i in range(4, -1, -1)] if period.kind == "year" else []
    trend = series(code, org, years) if years else []
    ctx = {
        "page_title": indicator.name,
        "indicator": indicator,
        "org": org,
        "period": period,
        "own": own,
        "children": children,
        "trend": trend,
        "error": error,
        "num_label": fact_label(indicator.numerator),
        "den_label": fact_label(indicator.denominator),
        "breadcrumb": visible_breadcrumb(request.user, VIEW, org),
        "can_target": has_perm_at(request.user, CHANGE_TARGET, org),
    }
    return render(request, "indicators/detail.html", ctx, status=400 if error else 200)
