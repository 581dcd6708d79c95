"""Native read-only case API (/api/cases/) for signed-in users: the same union over the types the
user may view as the pages (queries.visible_cases), documented in the OpenAPI schema."""

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers

from mofang.platform.api.registry import register_api
from mofang.platform.api.scoped import ScopedReadOnlyViewSet

from .models import Case, StateKind
from .queries import queue_condition, state_label, type_name, viewable_types, visible_cases


class CaseSerializer(serializers.ModelSerializer):
    type_name = serializers.SerializerMethodField(help_text="案件类型名称")
    state_label = serializers.SerializerMethodField(help_text="状态名称")
    responsible_org_name = serializers.CharField(source="responsible_org.name", read_only=True, help_text="责任单位")
    claimed = serializers.SerializerMethodField(help_text="是否已认领")
    overdue = serializers.SerializerMethodField(help_text="是否逾期（办理中且已过办理期限）")

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "case_type",
            "type_name",
            "title",
            "category",
            "severity",
            "state",
            "state_label",
            "state_kind",
            "responsible_org",
            "responsible_org_name",
            "claimed",
            "due_at",
            "overdue",
            "opened_at",
            "closed_at",
            "closed_on_time",
            "reopened_count",
            "address",
            "lon",
            "lat",
            "public",
        ]
        # read-only API; also keeps the schema free of the database's integer bounds (SQLite and
        # PostgreSQL differ, and the published description must be the same for both)
        read_only_fields = fields

    def get_type_name(self, obj) -> str:
        return type_name(obj.case_type)

    def get_state_label(self, obj) -> str:
        return state_label(obj)

    def get_claimed(self, obj) -> bool:
        return obj.claimed_by_id is not None

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.now())


class MayViewCases(permissions.BasePermission):
    message = "您没有查看案件的权限"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and viewable_types(request.user))


_filters = [
    OpenApiParameter("case_type", str, description="案件类型代码"),
    OpenApiParameter("state_kind", str, enum=[k.value for k in StateKind], description="状态类别"),
    OpenApiParameter("overdue", bool, description="仅逾期"),
    OpenApiParameter("queue", bool, description="仅待我单位认领"),
    OpenApiParameter("q", str, description="按编号、标题模糊查询"),
]


@extend_schema_view(
    list=extend_schema(summary="闭环案件列表", parameters=_filters), retrieve=extend_schema(summary="闭环案件详情")
)
class CaseViewSet(ScopedReadOnlyViewSet):
    serializer_class = CaseSerializer
    permission_classes = [MayViewCases]

    def get_queryset(self):
        p = self.request.query_params
        qs = visible_cases(self.request.user, p.get("case_type") or None).select_related("responsible_org")
        if p.get("state_kind") in {k.value for k in StateKind}:
            qs = qs.filter(state_kind=p["state_kind"])
        if p.get("overdue") in ("true", "1"):
            qs = qs.overdue(timezone.now())
        if p.get("queue") in ("true", "1"):
            qs = qs.filter(queue_condition(self.request.user))
        q = (p.get("q") or "")[:50]
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
        return qs.order_by("-opened_at", "-id")


def register() -> None:
    register_api("cases", CaseViewSet, "case")
