"""The cockpit pages: 一张图 (map, cards, league table, items), its 大屏 mode and the JSON the
大屏 refreshes from. Views parse the query, resolve the region through the scope layer and render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm

from . import figures, tables
from .roles import VIEW

REFRESH_DEFAULT = 60  # seconds between 大屏 refreshes
REFRESH_MIN, REFRESH_MAX = 10, 3600


def _bad(message: str):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _figures(request):
    """(data, error response): the figures for the query, or a 4xx answer naming the field."""
    if not has_perm(request.user, VIEW):
        raise Http404("页面不存在或您没有权限")
    try:
        region = figures.resolve_region(request.user, request.GET.get("region"))
        data = figures.build(
            request.user,
            region,
            indicator=request.GET.get("indicator") or None,
            period=request.GET.get("period") or None,
        )
        request.cockpit_region = region
    except figures.BadInput as exc:
        return None, _bad(str(exc))
    except LookupError as exc:
        raise Http404(str(exc)) from None
    return data, None


def _context(request, data, *, screen: bool = False, refresh: int | None = None):
    user = request.user
    region = request.cockpit_region
    return {
        "page_title": f"{data['region']['name']}教育智治一张图",
        "d": data,
        "region": region,
        "crumbs": figures.breadcrumb(user, region),
        "roots": figures.roots(user),
        "choices": data["choices"],
        "screen": screen,
        "league_rows": tables.league_rows(data, refresh=refresh),
        "chart": figures.as_json(
            {
                k: data[k]
                for k in (
                    "region",
                    "indicator",
                    "period",
                    "as_of",
                    "mode",
                    "geo",
                    "scale",
                    "children",
                    "points",
                    "cards",
                )
            }
        ),
    }


@login_required
def index(request):
    data, error = _figures(request)
    if error:
        return error
    return render(request, "cockpit/index.html", _context(request, data))


@login_required
def screen(request):
    data, error = _figures(request)
    if error:
        return error
    raw = request.GET.get("refresh") or str(REFRESH_DEFAULT)
    if not raw.isdigit() or not REFRESH_MIN <= int(raw) <= REFRESH_MAX:
        return _bad(
            gettext("刷新间隔：请填写{refresh_min}至{refresh_max}之间的秒数").format(
                refresh_min=REFRESH_MIN, refresh_max=REFRESH_MAX
            )
        )
    ctx = _context(request, data, screen=True, refresh=int(raw))
    ctx["refresh"] = int(raw)
    return render(request, "cockpit/screen.html", ctx)


@login_required
def data(request):
    data, error = _figures(request)
    if error:
        return error
    # "count": the schools under the region, as the API lists count what they cover
    return JsonResponse({"count": data["schools"], **figures.as_json(data)}, json_dumps_params={"ensure_ascii": False})
