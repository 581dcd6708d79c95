"""Data exchange API (SPEC §2): other platforms pull indicator values, scoped like the pages.

GET /api/indicators/                          the catalogue
GET /api/indicator-values/?indicator=…&period=…[&parent=<org id>][&kind=county]
                                              values for every org unit the caller may see
GET /api/indicator-values/<org id>/?indicator=…&period=…
"""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from mofang.platform.api.registry import register_api
from mofang.platform.api.scoped import (
    HasScopedPermission,
    Pagination,
    QueryParameters,
    ScopedReadOnlyViewSet,
    ValidatedQueryMixin,
    id_field,
)
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .models import Indicator
from .periods import current_period, parse_period
from .roles import VIEW
from .selectors import indicators_for, values_for
from .views import REPORTING_KINDS

_NUM = {"max_digits": 24, "decimal_places": 4, "coerce_to_string": False, "read_only": True, "allow_null": True}


class IndicatorSerializer(serializers.ModelSerializer):
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    factor = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False, read_only=True)
    decimals = serializers.IntegerField(read_only=True)
    order = serializers.IntegerField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "numerator",
            "denominator",
            "unit",
            "factor",
            "decimals",
            "direction",
            "direction_display",
            "period_type",
            "source_note",
            "order",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One org unit's value; the numbers come from the precomputed totals (see the viewset)."""

    org = serializers.IntegerField(source="pk", read_only=True, help_text="机构的 `id`")
    org_name = serializers.CharField(source="name", read_only=True)
    org_code = serializers.CharField(source="code", read_only=True, allow_null=True)
    kind = serializers.CharField(read_only=True)
    indicator = serializers.SerializerMethodField(help_text="指标代码")
    period = serializers.SerializerMethodField(help_text="统计周期")
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField(help_text="计数类指标为 `null`")
    value = serializers.SerializerMethodField(help_text="指标值；分母为0时为 `null`")
    target = serializers.SerializerMethodField(help_text="该机构当年目标")
    met = serializers.SerializerMethodField(help_text="是否达标；恰好等于目标算达标")
    as_of = serializers.SerializerMethodField(help_text="数据截至；无数据时为 `null`")

    class Meta:
        model = OrgUnit
        fields = [
            "org",
            "org_name",
            "org_code",
            "kind",
            "indicator",
            "period",
            "numerator",
            "denominator",
            "value",
            "target",
            "met",
            "as_of",
        ]

    def _v(self, obj):
        return self.context["values"].get(obj.pk)

    def get_indicator(self, obj) -> str:
        return self.context["indicator"].code

    def get_period(self, obj) -> str:
        return self.context["period"]

    def _num(self, x):
        return None if x is None else float(x)

    def get_numerator(self, obj) -> float | None:
        v = self._v(obj)
        return self._num(v.numerator) if v else None

    def get_denominator(self, obj) -> float | None:
        v = self._v(obj)
        return self._num(v.denominator) if v else None

    def get_value(self, obj) -> float | None:
        v = self._v(obj)
        return self._num(v.value) if v else None

    def get_target(self, obj) -> float | None:
        v = self._v(obj)
        return self._num(v.target) if v else None

    def get_met(self, obj) -> bool | None:
        v = self._v(obj)
        return v.met if v else None

    def get_as_of(self, obj) -> str | None:
        v = self._v(obj)
        return v.as_of.isoformat() if v else None


@extend_schema_view(list=extend_schema(summary="指标目录"), retrieve=extend_schema(summary="指标定义"))
class IndicatorViewSet(ValidatedQueryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    permission = VIEW
    permission_classes = [HasScopedPermission]
    pagination_class = Pagination
    lookup_field = "code"

    def get_queryset(self):
        return indicators_for(self.request.user).order_by("order", "code")


class ValueParameters(QueryParameters):
    indicator = serializers.CharField(
        max_length=60,
        help_text="指标代码，见 `/api/indicators/`（必填）",
        error_messages={
            "required": gettext_lazy("请提供指标代码（indicator）"),
            "blank": gettext_lazy("请提供指标代码（indicator）"),
            "max_length": gettext_lazy("指标代码不能超过 {max_length} 个字符"),
        },
    )
    period = serializers.RegexField(
        r"^\d{4}(-\d{2})?$",
        required=False,
        help_text="统计周期：年份（2026）或年月（2026-11），默认当前周期",
        error_messages={"invalid": gettext_lazy("统计周期应为年份（如 2026）或年月（如 2026-11）")},
    )

    def validate_indicator(self, code):
        indicator = indicators_for(self.context["request"].user).filter(code=code).first()
        if indicator is None:
            raise serializers.ValidationError(gettext("指标“{code}”不存在").format(code=code))
        return indicator

    def validate_period(self, raw):
        try:
            return parse_period(raw).key
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class ValueListParameters(ValueParameters):
    # the serializer's metaclass takes declared fields out of the class, so this does not shadow
    # Field.parent at run time; mypy only sees the class attribute
    parent = id_field("只返回该机构的直属下级（机构的 `id`）")  # type: ignore[assignment]
    kind = serializers.ChoiceField(
        choices=[(k, OrgKind(k).label) for k in REPORTING_KINDS],
        required=False,
        help_text="机构类型",
        error_messages={"invalid_choice": gettext_lazy("机构类型应为 province、city、county 或 school")},
    )


@extend_schema_view(list=extend_schema(summary="指标值（按机构）"), retrieve=extend_schema(summary="某机构的指标值"))
class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    serializer_class = IndicatorValueSerializer
    permission = VIEW

    def get_query_serializer_class(self):
        return {"list": ValueListParameters, "retrieve": ValueParameters}.get(getattr(self, "action", None) or "")

    def get_queryset(self):
        qs = super().get_queryset().filter(kind__in=REPORTING_KINDS)
        if self.action != "list":  # a detail: the row first (404), then the parameters
            return qs.order_by("path")
        if kind := self.query.get("kind"):
            qs = qs.filter(kind=kind)
        if parent := self.query.get("parent"):
            node = super().get_queryset().filter(pk=parent).first()
            if node is None:
                raise exceptions.NotFound(
                    gettext("上级机构（parent={id}）不存在或不在您的数据范围内").format(id=parent)
                )
            qs = qs.filter(path__startswith=node.path, depth=node.depth + 1)
        return qs.order_by("path")

    def _context(self, orgs):
        indicator = self.query["indicator"]
        period = self.query.get("period") or current_period(indicator.period_type).key
        return {
            **self.get_serializer_context(),
            "indicator": indicator,
            "period": period,
            "values": values_for(indicator, [o.pk for o in orgs], period),
        }

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer_class()(page, many=True, context=self._context(page))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(self.get_serializer_class()(obj, context=self._context([obj])).data)


def register() -> None:
    register_api("indicators", IndicatorViewSet, "indicator")
    register_api("indicator-values", IndicatorValueViewSet, "indicator-value")
