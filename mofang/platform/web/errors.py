"""The site's error handlers (mofang/urls.py handler400/403/404/500): under /api/ every one answers
the API's JSON error shape (mofang.platform.api.errors), never an HTML page; elsewhere the pages.

The last-resort error page: a database outage is a Chinese 503 the client may retry, not a 500.

Django calls handler500 for an exception raised anywhere below the outermost middleware (a view,
the session or user loaded by a middleware, DRF re-raising what it does not handle), inside the
`except` that caught it. While PostgreSQL is unreachable every such exception is an
OperationalError or InterfaceError; the broken connection is closed at the end of the request
(Django's close_if_unusable_or_obsolete, and CONN_HEALTH_CHECKS before any reuse), so the first
request after the outage reconnects by itself.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext
from django.views import defaults
from django.views.defaults import server_error as django_server_error

from mofang.platform.api.errors import error_response

DB_UNAVAILABLE = "数据库暂时不可用，请稍后重试"
RETRY_AFTER_SECONDS = 30


def _database_unavailable(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:  # the error itself, or the one it was raised from
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, detail: str):
    return error_response(status, detail)


def bad_request(request, exception):
    if _is_api(request):
        return _api_error(400, gettext("请求无效（请求头或参数不合规）"))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(403, gettext("您没有执行该操作的权限"))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _api_error(404, gettext("接口不存在：请查看 /api/docs/ 中的接口列表"))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if not _database_unavailable(sys.exc_info()[1]):
        if _is_api(request):
            return _api_error(500, gettext("服务器内部错误，请稍后重试"))
        return django_server_error(request)
    # Rendered without the request: its context processors would read the user, from the database.
    if _is_api(request):
        response = _api_error(503, DB_UNAVAILABLE)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": DB_UNAVAILABLE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
