from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .docs import api_docs
from .registry import API_ROUTES, register_api
from .roll_api import RollChangeViewSet
from .views import OrgUnitViewSet, StaffViewSet, StudentViewSet

register_api("orgs", OrgUnitViewSet, "orgunit")
register_api("students", StudentViewSet, "student")
register_api("staff", StaffViewSet, "staff")
register_api("roll-changes", RollChangeViewSet, "roll-change")


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for prefix, viewset, basename in API_ROUTES:
        router.register(prefix, viewset, basename=basename)
    return router


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
    path("", include(build_router().urls)),
]
