"""Root URLs: the platform's pages, then each module's (from its own urls.py), then the API."""

from importlib.util import find_spec

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path

# A database outage is a Chinese 503 with Retry-After (JSON under /api/); anything else the usual 500.
handler500 = "mofang.platform.web.errors.server_error"
# Under /api/ every error is the API's JSON error shape, even those Django answers before a view.
handler400 = "mofang.platform.web.errors.bad_request"
handler403 = "mofang.platform.web.errors.permission_denied"
handler404 = "mofang.platform.web.errors.page_not_found"

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("mofang.platform.accounts.urls")),
    path("jobs/", include("mofang.platform.jobs.urls")),
    path("imports/", include("mofang.platform.imports.urls")),
    path("cases/", include("mofang.platform.cases.urls")),
    path("open311/", include("mofang.platform.cases.open311_urls")),
    path("indicators/", include("mofang.platform.indicators.urls")),
    path("workdays/", include("mofang.platform.workdays.urls")),
    path("people/", include("mofang.platform.people.urls")),
    path("api-keys/", include("mofang.platform.api.page_urls")),
    path("api/", include("mofang.platform.api.urls")),
]

# Modules mount themselves at /<label>/ when they have a urls.py (the core never names them).
for config in apps.get_app_configs():
    if config.name.startswith(("mofang.governance.", "mofang.resources.", "mofang.data.")):
        if find_spec(f"{config.name}.urls") is None:
            continue
        urlpatterns.append(path(f"{config.label}/", include(f"{config.name}.urls")))

urlpatterns.append(path("", include("mofang.platform.web.urls")))

# No URL serves stored files (MEDIA_URL), not even with DEBUG: uploads are private (ID papers,
# case attachments, error workbooks of personal data) and each is downloaded through its own view,
# which checks the data scope and reads the file through the storage (local or shared, issue 13).
