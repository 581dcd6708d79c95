"""The scoped list page: search, paging and xlsx export over `visible_to`, never a bare manager.

Modules subclass ScopedListView and declare columns; scope, counting and export come with it,
so no list can show, count or export an out-of-scope row.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.views import View

from mofang.platform.accounts.scope import has_perm
from mofang.platform.imports.exports import export_xlsx, xlsx_response


@dataclass
class Col:
    header: str
    value: Callable  # obj -> value
    link: Callable | None = None  # obj -> url
    num: bool = False


def _text(value):
    """A column may mark its value up for the page (an identifier as <code>); the export carries the text."""
    return strip_tags(value) if isinstance(value, SafeString) else value


class ScopedListView(LoginRequiredMixin, View):
    model: type[Model] | None = None
    permission: str = ""
    title: str = ""
    columns: list[Col] = []
    search_fields: list[str] = []
    search_placeholder: str = "搜索"
    select_related: list[str] = []
    order_by: list[str] | None = None
    paginate_by = 50
    template_name = "web/list.html"
    export_name: str = ""
    filters: list[tuple[str, str, Sequence[tuple[str, str | Promise]]]] = []  # (param, label, choices)
    # a page of the platform's running (后台任务) says 403 to a role it is not for, rather than 404
    refuse_with_403 = False

    def base_queryset(self):
        if not has_perm(self.request.user, self.permission):
            if self.refuse_with_403:
                raise PermissionDenied("您没有权限查看此页面")
            raise Http404("页面不存在或您没有权限")
        return self.model.objects.visible_to(self.request.user, self.permission)

    def filter_queryset(self, qs):
        q = (self.request.GET.get("q") or "").strip()[:50]
        if q and self.search_fields:
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        for param, _label, choices in self.filters:
            value = self.request.GET.get(param)
            if value and value in {c for c, _ in choices}:
                qs = self.filter_by(qs, param, value)
        return qs

    def filter_by(self, qs, param: str, value: str):
        """One chosen filter (`value` is one of its declared choices): by default the field named
        `param`; a list whose filter is not a field (e.g. 近7天) overrides this."""
        return qs.filter(**{param: value})

    def get_queryset(self):
        qs = self.filter_queryset(self.base_queryset())
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.order_by:
            qs = qs.order_by(*self.order_by)
        return qs

    def extra_context(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        qs = self.get_queryset()
        if request.GET.get("export") == "xlsx":
            return self.export(qs)
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        rows = [
            [(c.value(obj), c.link(obj) if c.link else None, c.num) for c in self.columns] for obj in page.object_list
        ]
        params = request.GET.copy()
        params.pop("page", None)
        ctx = {
            "page_title": self.title,
            "page": page,
            "rows": rows,
            "headers": [(c.header, c.num) for c in self.columns],
            "q": request.GET.get("q", ""),
            "search": bool(self.search_fields),
            "placeholder": self.search_placeholder,
            "querystring": params.urlencode(),
            "filters": [(p, label, choices, request.GET.get(p, "")) for p, label, choices in self.filters],
            **self.extra_context(),
        }
        template = self.template_name
        if request.htmx and request.htmx.target == "list-body":
            # the partial is defined in web/list.html: a page extending it has no list-body of its
            # own unless it redefines one, so fall back to the base's (else: TemplateDoesNotExist)
            template = [f"{template}#list-body", "web/list.html#list-body"]
        return render(request, template, ctx)

    def export(self, qs):
        rows = ([_text(c.value(obj)) for c in self.columns] for obj in qs.iterator(chunk_size=2000))
        memberships = self.request.user.active_memberships()
        content = export_xlsx(
            acting_user=self.request.user,
            sheet_title=self.title,
            headers=[c.header for c in self.columns],
            rows=rows,
            summary=f"导出{self.title}",
            org=memberships[0].org if memberships else None,
        )
        name = f"{self.export_name or self.title}-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(name, content)
