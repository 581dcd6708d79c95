"""Open311 GeoReport v2 routes, mounted at /open311/: each in JSON (.json) and XML (.xml)."""

from django.urls import re_path

from .views import open311

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^v2/services" + FMT, open311.services, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, open311.requests, name="requests"),
    re_path(r"^v2/requests/(?P<number>[^/]+)" + FMT, open311.request_detail, name="request"),
]
