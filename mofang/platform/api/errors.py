"""API errors: one JSON shape for every 4xx/5xx under /api/, in Chinese, naming the field.

    {"detail": "page_size：每页条数应为 1 到 500 之间的整数", "page_size": ["每页条数应为 1 到 500 之间的整数"]}

`detail` is always there (one sentence for a person); a 400 about a parameter or a body field also
carries that field's messages under its own name (for a program). DRF's exceptions come through
`exception_handler` below; what Django answers before or around a DRF view (no such route, a NUL
in the query string, a database outage) is built with `error_response` by the site's error
handlers (mofang.platform.web.errors, .middleware), so the shape is the same. The OpenAPI
description documents it as the `Error` component (mofang.platform.api.schema).
"""

import math
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

# DRF's own English sentences are replaced by these; a Chinese message raised on purpose (a
# permission class's `message`, a service's refusal) is kept.
_DEFAULTS: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "请先登录或提供访问令牌",
    exceptions.AuthenticationFailed: "身份认证失败",
    exceptions.PermissionDenied: "您没有执行该操作的权限",
    exceptions.NotFound: "对象不存在或不在您的数据范围内",
    exceptions.MethodNotAllowed: "不支持该请求方法",
    exceptions.NotAcceptable: "无法按请求的格式（Accept）返回，本接口只返回 JSON",
    exceptions.ParseError: "请求内容格式错误",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型",
    exceptions.Throttled: "请求过于频繁，请稍后再试",
    exceptions.ValidationError: "请求参数有误",
}
# Messages DRF writes itself from the request (the method, the media type, a parser's English error):
# always ours, whatever DRF's translation says.
_ALWAYS_OURS = (
    exceptions.MethodNotAllowed,
    exceptions.Throttled,
    exceptions.ParseError,
    exceptions.UnsupportedMediaType,
    exceptions.NotAcceptable,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_FIELDS_IN_DETAIL = 3


def _chinese(text: str, fallback: str) -> str:
    return text if _CJK.search(text or "") else fallback


def _flatten(data, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure → {"field": [...], "items.0.name": [...]}, every value a list of str."""
    if isinstance(data, dict):
        out: dict[str, list[str]] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, list | tuple):
        if all(not isinstance(v, dict | list | tuple) for v in data):
            return {prefix or "non_field_errors": [str(v) for v in data]}
        out = {}
        for i, value in enumerate(data):
            out.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix or "non_field_errors": [str(data)]}


def error_body(detail: str, fields: dict[str, list[str]] | None = None) -> dict:
    """The one error shape: {"detail": str, <field>: [str, ...], ...}."""
    body: dict = {"detail": detail}
    for name, messages in (fields or {}).items():
        body["errors" if name == "detail" else name] = messages
    return body


def field_errors_body(fields: dict[str, list[str]]) -> dict:
    """A 400 about fields: `detail` names each field with its first message."""
    parts = [msgs[0] if name == "non_field_errors" else f"{name}：{msgs[0]}" for name, msgs in fields.items() if msgs]
    detail = "；".join(parts[:MAX_FIELDS_IN_DETAIL]) or _DEFAULTS[exceptions.ValidationError]
    if len(parts) > MAX_FIELDS_IN_DETAIL:
        detail += gettext("（另有 {n} 项错误）").format(n=len(parts) - MAX_FIELDS_IN_DETAIL)
    return error_body(detail, fields)


def error_response(status_code: int, detail: str, fields: dict[str, list[str]] | None = None) -> JsonResponse:
    """The shape for answers built outside DRF (Django's error handlers, middleware)."""
    return JsonResponse(error_body(detail, fields), status=status_code, json_dumps_params={"ensure_ascii": False})


def _default_for(exc: exceptions.APIException, context) -> str:
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait:
        return gettext("请求过于频繁，请 {n} 秒后再试").format(n=math.ceil(wait))
    request = (context or {}).get("request")
    if isinstance(exc, exceptions.MethodNotAllowed) and request is not None:
        return gettext("不支持该请求方法（{method}）").format(method=request.method[:10])
    for cls, text in _DEFAULTS.items():
        if isinstance(exc, cls):
            return text
    return "请求失败"


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(field_errors_body(_flatten(data)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (IntegrityError, DataError)):
        return Response(error_body("数据不符合约束（可能重复或超出范围）"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OverflowError | ValueError):
        return Response(error_body("参数值无效"), status=status.HTTP_400_BAD_REQUEST)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = field_errors_body(_flatten(response.data))
        return response
    data = response.data
    fields: dict[str, list[str]] = {}
    if isinstance(data, dict):
        fields = _flatten({k: v for k, v in data.items() if k != "detail"})
        detail = str(data.get("detail", ""))
    else:
        detail = " ".join(str(v) for v in data) if isinstance(data, list) else str(data)
    # a refusal that carries our own Chinese sentence on purpose (a per-key rate limit) keeps it
    ours = getattr(exc, "chinese_detail", False)
    if (isinstance(exc, _ALWAYS_OURS) and not ours) or detail == str(type(exc).default_detail):
        detail = _default_for(exc, context)
    response.data = error_body(_chinese(detail, _default_for(exc, context)), fields)
    return response
