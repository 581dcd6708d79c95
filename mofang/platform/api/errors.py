"""API errors in Chinese, always 4xx for bad input; never a traceback to the client."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

_DEFAULTS = {
    exceptions.NotAuthenticated: "请先登录或提供访问令牌",
    exceptions.AuthenticationFailed: "身份认证失败",
    exceptions.PermissionDenied: "您没有执行该操作的权限",
    exceptions.NotFound: "对象不存在或不在您的数据范围内",
    exceptions.MethodNotAllowed: "不支持该请求方法",
    exceptions.ParseError: "请求内容格式错误",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型",
    exceptions.Throttled: "请求过于频繁，请稍后再试",
}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (IntegrityError, DataError)):
        return Response({"detail": "数据不符合约束（可能重复或超出范围）"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OverflowError | ValueError):
        return Response({"detail": "参数值无效"}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_handler(exc, context)
    if response is not None:
        for cls, text in _DEFAULTS.items():
            if isinstance(exc, cls) and isinstance(response.data, dict) and "detail" in response.data:
                response.data["detail"] = text
    return response
