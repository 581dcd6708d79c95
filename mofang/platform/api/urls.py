from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from mofang.platform.imports.base import IMPORTERS

from .docs import api_docs
from .imported import import_write_viewset
from .registry import API_ROUTES, register_api
from .roll_api import RollChangeViewSet
from .views import OrgUnitViewSet, StaffViewSet, StudentViewSet

register_api("orgs", OrgUnitViewSet, "orgunit")
register_api("students", StudentViewSet, "student")
register_api("staff", StaffViewSet, "staff")
register_api("roll-changes", RollChangeViewSet, "roll-change")
register_api(
    "staff-records",
    import_write_viewset("staff", "staff", "教职工（外部系统批量写入）", IMPORTERS["staff"]),
    "staff-record",
)
register_api(
    "indicator-statistics",
    import_write_viewset(
        "indicators", "indicator_statistics", "指标统计数据（外部系统批量写入）", IMPORTERS["indicator_statistics"]
    ),
    "indicator-statistics",
)


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
