"""Open311 GeoReport v2 (JSON and XML) for case types declared open311=True: anyone may read public
requests; a system holding an API key with the Open311 right (open311_keys: a key made on the
接口密钥 page, revocable, rate-limited, scoped to its org subtree) may file one where the type takes
public reports, at a place inside its subtree. The queries and the rules live in cases/public.py; errors are GeoReport's list of
{"code", "description"} (XML: <errors><error>…) with Chinese descriptions naming the field."""

import functools
import re
from xml.etree import ElementTree as ET

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .. import open311_keys, public

# characters XML 1.0 cannot carry (control characters a caller may put in a URL)
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# the element names GeoReport v2 gives each answer's XML: (root, one item)
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _xml_value(parent, name: str, value) -> None:
    el = ET.SubElement(parent, name)
    if isinstance(value, bool):
        el.text = "true" if value else "false"
    elif isinstance(value, list):  # a service definition's attributes, an attribute's values
        child = name[:-1] if name.endswith("s") else "item"
        for item in value:
            _xml_item(el, child, item)
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v)
    elif value is not None:
        el.text = _NOT_XML.sub("", str(value))


def _xml_item(parent, name: str, item: dict) -> None:
    el = ET.SubElement(parent, name)
    for k, v in item.items():
        _xml_value(el, k, v)


def _answer(data, fmt: str, kind: str, status: int = 200):
    if fmt == "xml":
        if isinstance(data, list):
            root_name, item_name = XML_NAMES[kind]
            root = ET.Element(root_name)
            for item in data:
                _xml_item(root, item_name, item)
        else:  # a service definition
            root = ET.Element("service_definition")
            for k, v in data.items():
                _xml_value(root, k, v)
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int = 400, fmt: str = "json"):
    return _answer([{"code": status, "description": message}], fmt, "errors", status)


def _methods(*allowed):
    """Only these HTTP methods (else a 405 in GeoReport's error format). A public API for other
    systems uses no session, so there is no cross-site request to forge: no CSRF check."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def inner(request, *args, fmt: str = "json", **kwargs):
            if request.method not in allowed:
                response = _error(f"不支持 {request.method} 请求", 405, fmt)
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, fmt=fmt, **kwargs)

        return inner

    return wrap


@_methods("GET")
def services(request, fmt: str):
    """GET services.json|xml: the public-facing case types."""
    return _answer([public.service_json(ct) for ct in public.open311_types()], fmt, "services")


@_methods("GET")
def service_definition(request, code: str, fmt: str):
    """GET services/<service_code>.json|xml: the attributes a request of the service carries."""
    try:
        ct = public.open311_type(code)
    except ValidationError as exc:
        return _error(exc.messages[0], 404, fmt)
    return _answer(public.service_definition(ct), fmt, "definition")


@_methods("GET", "POST")
def requests(request, fmt: str):
    """GET: public requests (filters service_request_id, service_code, status, start_date, end_date);
    POST: file one (api_key, service_code, lat/long or address_string, description, attribute[…])."""
    try:
        if request.method == "POST":
            try:
                key = open311_keys.key_for_report(request.POST.get("api_key"))
            except open311_keys.Refused as refused:
                response = _error(refused.message, refused.status, fmt)
                if refused.retry_after:
                    response["Retry-After"] = str(refused.retry_after)
                return response
            case = public.create_request(request.POST, acting_user=key.account)
            answer = {
                "service_request_id": case.number,
                "service_notice": "已受理，将由责任单位办理",
                "account_id": None,
            }
            return _answer([answer], fmt, "requests", 201)
        return _answer([public.request_json(c) for c in public.find_requests(request.GET)], fmt, "requests")
    except ValidationError as exc:
        return _error("；".join(exc.messages), 400, fmt)
    except PermissionDenied as exc:  # the place is outside the key's subtree
        return _error(str(exc), 403, fmt)


@_methods("GET")
def request_detail(request, number: str, fmt: str):
    """GET requests/<service_request_id>.json|xml: one public request (a list of one, as GeoReport says)."""
    case = public.get_request(number)
    if case is None:
        return _error(f"没有编号为「{number}」的公开请求", 404, fmt)
    return _answer([public.request_json(case)], fmt, "requests")
