"""Time-bank API: read-only scoped lists (accounts with balance, ledger, statements) and the
teacher's leave request. Registered from AppConfig.ready(); documented in the OpenAPI schema."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.response import Response

from mofang.platform.api.registry import register_api
from mofang.platform.api.scoped import QueryParameters, ScopedReadOnlyViewSet, id_field, search_field

from . import services
from .models import Account, LeaveKind, LeaveRequest, LedgerEntry, MonthlyStatement

_HOURS: dict[str, Any] = {"max_digits": 9, "decimal_places": 1, "coerce_to_string": False}


class AccountSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="bank.school.name", read_only=True, help_text="学校")
    school_code = serializers.CharField(source="bank.school.code", read_only=True, help_text="学校标识码")
    staff_no = serializers.CharField(source="staff.staff_no", read_only=True, help_text="工号")
    name = serializers.CharField(source="staff.name", read_only=True, help_text="姓名")
    balance = serializers.DecimalField(read_only=True, help_text="余额（小时）= 全部分录之和", **_HOURS)

    class Meta:
        model = Account
        fields = ["id", "bank", "school", "school_code", "staff", "staff_no", "name", "balance", "opened_at"]


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    amount = serializers.DecimalField(read_only=True, help_text="小时，存入为正、支取为负", **_HOURS)
    cause = serializers.CharField(source="describe_cause", read_only=True, help_text="产生该分录的记录")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "account",
            "kind",
            "kind_display",
            "amount",
            "occurred_on",
            "posted_at",
            "reason",
            "substitution",
            "duty",
            "leave",
            "reverses",
            "cause",
        ]


class StatementSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="account.staff.name", read_only=True)
    sms_text = serializers.CharField(read_only=True, help_text="一月一反馈短信内容")

    class Meta:
        model = MonthlyStatement
        fields = [
            "id",
            "account",
            "name",
            "month",
            "opening_balance",
            "earned_substitution",
            "earned_afterschool",
            "spent",
            "corrections",
            "closing_balance",
            "generated_at",
            "sms_text",
        ]


class LeaveRequestSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=LeaveKind.choices,
        default=LeaveKind.LEAVE,
        error_messages={"invalid_choice": "请选择请假类型（leave 或 double_reduction）"},
    )
    date = serializers.DateField(error_messages={"invalid": "日期格式应为 2026-10-15", "required": "请填写请假日期"})
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        error_messages={
            "invalid": "小时数应为数字",
            "required": "请填写小时数",
            "max_digits": "小时数过大",
            "max_decimal_places": "最多1位小数",
            "max_whole_digits": "小时数过大",
        },
    )
    reason = serializers.CharField(
        max_length=200,
        error_messages={"required": "请填写请假事由", "blank": "请填写请假事由", "max_length": "事由不能超过200个字"},
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "account",
            "kind",
            "date",
            "hours",
            "reason",
            "status",
            "status_display",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = ["account", "status", "requested_at", "decided_at", "decision_note"]


class AccountFilters(QueryParameters):
    q = search_field("按姓名或工号模糊查询")


class EntryFilters(QueryParameters):
    account = id_field("只看某个账户的分录（账户的 `id`）")


class StatementFilters(QueryParameters):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="月份，如 2026-10",
        error_messages={"invalid": gettext_lazy("月份格式应为 2026-10")},
    )


@extend_schema_view(
    list=extend_schema(summary="个人时间账户列表（含余额）"),
    retrieve=extend_schema(summary="个人时间账户详情（含余额）"),
)
class AccountViewSet(ScopedReadOnlyViewSet):
    serializer_class = AccountSerializer
    permission = "timebank.view_account"
    select_related = ("bank__school", "staff")
    query_serializer_class = AccountFilters

    def get_queryset(self):
        qs = super().get_queryset().with_balance()
        q = self.query.get("q")
        return qs.filter(Q(staff__name__icontains=q) | Q(staff__staff_no__icontains=q)) if q else qs


@extend_schema_view(list=extend_schema(summary="时间账户分录列表"), retrieve=extend_schema(summary="分录详情"))
class LedgerEntryViewSet(ScopedReadOnlyViewSet):
    serializer_class = LedgerEntrySerializer
    permission = "timebank.view_account"
    select_related = ("substitution__absent", "duty", "leave", "reverses")
    query_serializer_class = EntryFilters

    def get_queryset(self):
        qs = super().get_queryset()
        account = self.query.get("account")
        return qs.filter(account_id=account) if account else qs


@extend_schema_view(list=extend_schema(summary="月度对账单列表"), retrieve=extend_schema(summary="月度对账单详情"))
class StatementViewSet(ScopedReadOnlyViewSet):
    serializer_class = StatementSerializer
    permission = "timebank.view_statement"
    select_related = ("account__staff",)
    query_serializer_class = StatementFilters

    def get_queryset(self):
        qs = super().get_queryset()
        month = self.query.get("month")
        return qs.filter(month=month) if month else qs


@extend_schema_view(
    list=extend_schema(summary="抵假申请列表"),
    retrieve=extend_schema(summary="抵假申请详情"),
    create=extend_schema(summary="教师本人申请抵假", description="从本人的个人时间账户抵扣；余额不足返回400。"),
)
class LeaveRequestViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    serializer_class = LeaveRequestSerializer
    permission = "timebank.view_leave"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = (
            Account.objects.visible_to(request.user, "timebank.view_account")
            .filter(staff__user=request.user)
            .select_related("bank__school", "staff")
            .first()
        )
        if account is None:
            raise exceptions.ValidationError({"account": gettext("您还没有个人时间账户")})
        d = serializer.validated_data
        try:
            leave = services.request_leave(
                account, kind=d["kind"], date=d["date"], hours=d["hours"], reason=d["reason"], acting_user=request.user
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self.get_serializer(leave).data, status=status.HTTP_201_CREATED)


def register() -> None:
    register_api("timebank/accounts", AccountViewSet, "timebank-account")
    register_api("timebank/entries", LedgerEntryViewSet, "timebank-entry")
    register_api("timebank/statements", StatementViewSet, "timebank-statement")
    register_api("timebank/leave-requests", LeaveRequestViewSet, "timebank-leave")
