"""Open311 GeoReport v2 (JSON) for case types declared open311=True: anyone may read public
requests and, where the type takes public reports, submit one. The queries and the rules live in
cases/public.py; errors are GeoReport's list of {"code", "description"} with Chinese descriptions."""

import functools

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .. import public


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int = 400) -> JsonResponse:
    return _json([{"code": status, "description": message}], status)


def _methods(*allowed):
    """Only these HTTP methods (else a 405 in GeoReport's error JSON). A public API for other
    clients uses no session, so there is no cross-site request to forge: no CSRF check."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in allowed:
                response = _error(f"不支持 {request.method} 请求", 405)
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return inner

    return wrap


@_methods("GET")
def services(request):
    """GET services.json: the public-facing case types."""
    return _json([public.service_json(ct) for ct in public.open311_types()])


@_methods("GET")
def service_definition(request, code: str):
    """GET services/<service_code>.json: the attributes a request of the service carries."""
    try:
        ct = public.open311_type(code)
    except ValidationError as exc:
        return _error(exc.messages[0], 404)
    return _json(public.service_definition(ct))


@_methods("GET", "POST")
def requests(request):
    """GET: public requests (filters service_request_id, service_code, status, start_date, end_date);
    POST: report one (service_code, lat, long, address_string, description, email, phone)."""
    try:
        if request.method == "POST":
            case = public.create_request(request.POST)
            return _json(
                [{"service_request_id": case.number, "service_notice": "已受理，将由责任单位办理", "account_id": None}],
                201,
            )
        return _json([public.request_json(c) for c in public.find_requests(request.GET)])
    except ValidationError as exc:
        return _error("；".join(exc.messages))


@_methods("GET")
def request_detail(request, number: str):
    """GET requests/<service_request_id>.json: one public request (a list of one, as GeoReport says)."""
    case = public.get_request(number)
    if case is None:
        return _error(f"没有编号为「{number}」的公开请求", 404)
    return _json([public.request_json(case)])
