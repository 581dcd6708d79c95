"""Open311 GeoReport v2 routes, mounted at /open311/ (JSON only)."""

from django.urls import path

from .views import open311

app_name = "open311"
urlpatterns = [
    path("v2/services.json", open311.services, name="services"),
    path("v2/services/<str:code>.json", open311.service_definition, name="service"),
    path("v2/requests.json", open311.requests, name="requests"),
    path("v2/requests/<str:number>.json", open311.request_detail, name="request"),
]
