"""The API side of the scope layer: every viewset's queryset comes from visible_to()."""

from django.http import Http404
from rest_framework import permissions, viewsets
from rest_framework.pagination import PageNumberPagination

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.converters import MAX_ID


class HasScopedPermission(permissions.BasePermission):
    message = "您没有执行该操作的权限"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and has_perm(request.user, view.permission))


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or 1
        try:
            n = int(raw)
        except (TypeError, ValueError):
            return 1
        return n if n > 0 else 1


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
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
