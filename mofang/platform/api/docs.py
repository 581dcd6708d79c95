"""The API documentation page (接口文档): Swagger UI in the platform's Chinese page, for
administrators only (api.view_docs; anyone else gets the API's Chinese 403).
Its look is static/mofang/api_docs.css: the page itself has no <style> or inline script."""

from drf_spectacular.views import SpectacularSwaggerSplitView

from mofang.platform.web.roles import VIEW_API_DOCS

from .scoped import HasScopedPermission


class ApiDocsView(SpectacularSwaggerSplitView):
    """The page and its start-up script as two answers, so that the page has no inline script."""

    template_name = "web/api_docs.html"
    title = "接口文档"
    permission = VIEW_API_DOCS
    permission_classes = [HasScopedPermission]
