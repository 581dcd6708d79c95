"""Native read-only case API (/api/cases/) for signed-in users: the same union over the types the
user may view as the pages (queries.visible_cases), documented in the OpenAPI schema."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers

from mofang.platform.api.registry import register_api
from mofang.platform.api.scoped import QueryParameters, ScopedReadOnlyViewSet, search_field

from .models import Case, StateKind
from .queries import queue_condition, state_label, type_name, viewable_types, visible_cases
from .registry import CASE_TYPES


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


class CaseFilters(QueryParameters):
    # validated against the registry, not an enum in the description: modules (and tests) register
    # case types at run time, and the published description must not depend on which are loaded
    case_type = serializers.CharField(
        required=False, max_length=60, help_text="案件类型代码（各模块注册，如 `campus_safety.hazard`）"
    )
    state_kind = serializers.ChoiceField(
        choices=StateKind.choices,
        required=False,
        help_text="状态类别",
        error_messages={"invalid_choice": gettext_lazy("状态类别应为 open、closed_fixed 或 closed_not_fixed")},
    )
    overdue = serializers.BooleanField(
        required=False, help_text="仅逾期", error_messages={"invalid": gettext_lazy("应为 true 或 false")}
    )
    queue = serializers.BooleanField(
        required=False, help_text="仅待我单位认领", error_messages={"invalid": gettext_lazy("应为 true 或 false")}
    )
    q = search_field("按编号、标题模糊查询")

    def validate_case_type(self, code):
        if code not in CASE_TYPES:
            raise serializers.ValidationError(gettext("案件类型“{code}”不存在").format(code=code))
        return code


@extend_schema_view(list=extend_schema(summary="闭环案件列表"), retrieve=extend_schema(summary="闭环案件详情"))
class CaseViewSet(ScopedReadOnlyViewSet):
    serializer_class = CaseSerializer
    permission_classes = [MayViewCases]
    query_serializer_class = CaseFilters

    def get_queryset(self):
        p = self.query
        qs = visible_cases(self.request.user, p.get("case_type") or None).select_related("responsible_org")
        if p.get("state_kind"):
            qs = qs.filter(state_kind=p["state_kind"])
        if p.get("overdue"):
            qs = qs.overdue(timezone.now())
        if p.get("queue"):
            qs = qs.filter(queue_condition(self.request.user))
        q = p.get("q")
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
        return qs.order_by("-opened_at", "-id")


def register() -> None:
    register_api("cases", CaseViewSet, "case")
