"""The API side of the scope layer: every viewset's queryset comes from visible_to().

Query parameters are declared once per viewset as a serializer (`query_serializer_class`, or
`get_query_serializer_class()` per action): it is validated before the view reads anything (a
wrong type, an unknown choice or an out-of-range number is a Chinese 400 naming the parameter,
never silently ignored) and the same declaration is what the OpenAPI description shows
(mofang.platform.api.schema). `page` and `page_size` are checked the same way by `Pagination`.
"""

from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.converters import MAX_ID


class HasScopedPermission(permissions.BasePermission):
    message = "您没有执行该操作的权限"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and has_perm(request.user, view.permission))


def _whole_number(raw: str, name: str, low: int, high: int, message: str) -> int:
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19 or not low <= int(text) <= high:
        raise exceptions.ValidationError({name: [message]})
    return int(text)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "页码 page={page_number} 超出范围（没有这一页）"

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        return _whole_number(raw, "page", 1, MAX_ID, gettext("页码 page 应为不小于 1 的整数"))

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(
            raw,
            "page_size",
            1,
            self.max_page_size,
            gettext("每页条数 page_size 应为 1 到 {n} 之间的整数").format(n=self.max_page_size),
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "页码，从 1 开始；超出最后一页返回 404"
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"每页条数，1 到 {self.max_page_size}，默认 {self.page_size}"
        return parameters


class QueryParameters(serializers.Serializer):
    """Base of a viewset's query-parameter declaration (see the module docstring)."""


def search_field(description: str) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=description,
        error_messages={"max_length": gettext_lazy("查询文字不能超过 {max_length} 个字")},
    )


def id_field(description: str, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=description,
        error_messages={
            "invalid": gettext_lazy("应为正整数（ID）"),
            "min_value": gettext_lazy("应为正整数（ID）"),
            "max_value": gettext_lazy("ID 超出范围"),
            "max_string_length": gettext_lazy("ID 超出范围"),
        },
        **kwargs,
    )


class ValidatedQueryMixin:
    """`self.query`: the action's query parameters, cleaned. A list validates them in `initial()`
    (after authentication and permission, before anything is read); a detail route on first use,
    so that an id that is no row stays a 404 whatever the parameters."""

    query_serializer_class: type[serializers.Serializer] | None = None
    _query: dict | None = None

    def get_query_serializer_class(self) -> type[serializers.Serializer] | None:
        return self.query_serializer_class if getattr(self, "action", None) == "list" else None

    @property
    def query(self) -> dict:
        if self._query is None:
            request = getattr(self, "request", None)
            cls = self.get_query_serializer_class()
            if cls is None or request is None:
                return {}
            # a plain dict, not the QueryDict: DRF reads an empty form value as "absent", and
            # `?state_kind=` is a wrong value (400), not a missing one
            params = cls(data=request.query_params.dict(), context={"request": request, "view": self})
            params.is_valid(raise_exception=True)
            self._query = dict(params.validated_data)
        return self._query

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not getattr(self, "detail", False):
            self.query  # noqa: B018 -- validates now: a bad parameter is a 400 before anything is read


class ScopedReadOnlyViewSet(ValidatedQueryMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve exactly what `visible_to(user, permission)` returns."""

    permission: str = ""
    permission_classes = [HasScopedPermission]
    pagination_class = Pagination
    select_related: tuple = ()

    def get_object(self):
        # a row id beyond a bigint overflows the database driver: 404, like any id that is no row
        value = str(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if value.isdigit() and int(value) > MAX_ID:
            raise Http404
        return super().get_object()

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        qs = model.objects.visible_to(self.request.user, self.permission)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs.order_by("pk")
