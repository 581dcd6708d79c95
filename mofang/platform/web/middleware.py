"""Request guards that hold for every page and API, so no view has to remember them."""

from xml.sax.saxutils import escape

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from mofang.platform.api.errors import error_response


class NulParameterMiddleware:
    """A query parameter carrying a NUL character (0x00) is refused with a Chinese 400 naming it.

    PostgreSQL text cannot hold NUL: any view passing such a parameter to a filter (a list's search
    box, say) would fail inside the database with a 500. Form fields already refuse NUL
    (Django's ProhibitNullCharactersValidator); the query string is checked here, once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                name = key.replace("\x00", "")[:30] or "?"
                message = gettext("参数“{name}”含有非法字符（NUL），请删除后重试").format(name=name)
                if request.path.startswith("/api/"):  # the API's JSON error shape, not a page
                    return error_response(400, message, {name: [message]})
                if request.path.startswith("/open311/"):  # Open311 GeoReport's error list
                    return _open311_error(request.path, message)
                return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


def _open311_error(path: str, message: str):
    if path.endswith(".xml"):
        body = f'<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>400</code><description>{escape(message)}</description></error></errors>'
        return HttpResponse(body.encode(), status=400, content_type="text/xml; charset=utf-8")
    return JsonResponse(
        [{"code": 400, "description": message}], status=400, safe=False, json_dumps_params={"ensure_ascii": False}
    )
