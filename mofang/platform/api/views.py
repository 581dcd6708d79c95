"""Master-data API: org units, students, staff — scoped like the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from .scoped import QueryParameters, ScopedReadOnlyViewSet, search_field
from .serializers import OrgUnitSerializer, StaffSerializer, StudentSerializer


class NameSearch(QueryParameters):
    q = search_field("按名称/编号模糊查询")


@extend_schema_view(list=extend_schema(summary="组织机构列表"), retrieve=extend_schema(summary="组织机构详情"))
class OrgUnitViewSet(ScopedReadOnlyViewSet):
    serializer_class = OrgUnitSerializer
    permission = "orgs.view_org"
    query_serializer_class = NameSearch

    def get_queryset(self):
        qs = super().get_queryset()
        q = self.query.get("q")
        return qs.filter(name__icontains=q) if q else qs


@extend_schema_view(list=extend_schema(summary="学生列表"), retrieve=extend_schema(summary="学生详情"))
class StudentViewSet(ScopedReadOnlyViewSet):
    serializer_class = StudentSerializer
    permission = "people.view_student"
    select_related = ("school",)
    query_serializer_class = NameSearch

    def get_queryset(self):
        qs = super().get_queryset()
        q = self.query.get("q")
        return qs.filter(name__icontains=q) if q else qs


@extend_schema_view(list=extend_schema(summary="教职工列表"), retrieve=extend_schema(summary="教职工详情"))
class StaffViewSet(ScopedReadOnlyViewSet):
    serializer_class = StaffSerializer
    permission = "people.view_staff"
