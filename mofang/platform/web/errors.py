"""The last-resort error page: a database outage is a Chinese 503 the client may retry, not a 500.

Django calls handler500 for an exception raised anywhere below the outermost middleware (a view,
the session or user loaded by a middleware, DRF re-raising what it does not handle), inside the
`except` that caught it. While PostgreSQL is unreachable every such exception is an
OperationalError or InterfaceError; the broken connection is closed at the end of the request
(Django's close_if_unusable_or_obsolete, and CONN_HEALTH_CHECKS before any reuse), so the first
request after the outage reconnects by itself.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

DB_UNAVAILABLE = "数据库暂时不可用，请稍后重试"
RETRY_AFTER_SECONDS = 30


def _database_unavailable(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:  # the error itself, or the one it was raised from
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def server_error(request):
    if not _database_unavailable(sys.exc_info()[1]):
        return django_server_error(request)
    # Rendered without the request: its context processors would read the user, from the database.
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": DB_UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": DB_UNAVAILABLE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
