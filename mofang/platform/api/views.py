"""Master-data API: org units, students, staff — scoped like the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from .scoped import ScopedReadOnlyViewSet
from .serializers import OrgUnitSerializer, StaffSerializer, StudentSerializer

_q = OpenApiParameter("q", str, description="按名称/编号模糊查询")


@extend_schema_view(
    list=extend_schema(summary="组织机构列表", parameters=[_q]), retrieve=extend_schema(summary="组织机构详情")
)
class OrgUnitViewSet(ScopedReadOnlyViewSet):
    serializer_class = OrgUnitSerializer
    permission = "orgs.view_org"

    def get_queryset(self):
        qs = super().get_queryset()
        q = (self.request.query_params.get("q") or "")[:50]
        return qs.filter(name__icontains=q) if q else qs


@extend_schema_view(list=extend_schema(summary="学生列表", parameters=[_q]), retrieve=extend_schema(summary="学生详情"))
class StudentViewSet(ScopedReadOnlyViewSet):
    serializer_class = StudentSerializer
    permission = "people.view_student"
    select_related = ("school",)

    def get_queryset(self):
        qs = super().get_queryset()
        q = (self.request.query_params.get("q") or "")[:50]
        return qs.filter(name__icontains=q) if q else qs


@extend_schema_view(list=extend_schema(summary="教职工列表"), retrieve=extend_schema(summary="教职工详情"))
class StaffViewSet(ScopedReadOnlyViewSet):
    serializer_class = StaffSerializer
    permission = "people.view_staff"
