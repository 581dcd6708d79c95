"""Content-Security-Policy on every response (Django 5.2 has none built in).

Everything a page loads is served by the platform itself (htmx and ECharts from node_modules via
the static files), so the policy can be strict: no script but the site's own files, no inline
<script> and no on…= handler attributes (templates keep their scripts in static/…/*.js and pass data
through json_script or data-… attributes), no <style> element, no plugin, no framing.

One allowance: style="" attributes (style-src-attr 'unsafe-inline'). Templates use a few for sizes,
and ECharts' tooltips are HTML with style attributes written through innerHTML; an attribute can
neither run script nor select other elements, so it cannot carry the CSS-selector exfiltration that
a forbidden <style> element could.

The policy is settings.CSP (directive → sources); settings.CSP_PATH_OVERRIDES could relax it for a
path prefix whose page the platform does not render (none today: the API docs page is rendered on
the server). A response that already has the header keeps it.
"""

from django.conf import settings

# One reading of "a trusted proxy" for the client address, rate limits and the forwarded headers.
from mofang.platform.accounts.ratelimit import _address, _is_trusted


def policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        self.default = policy(settings.CSP)
        self.overrides = [
            (prefix, policy({**settings.CSP, **extra})) for prefix, extra in settings.CSP_PATH_OVERRIDES.items()
        ]

    def __call__(self, request):
        response = self.get_response(request)
        if self.header not in response:
            value = next((p for prefix, p in self.overrides if request.path_info.startswith(prefix)), self.default)
            response[self.header] = value
        return response


class TrustedProxyHeadersMiddleware:
    """X-Forwarded-Proto and X-Forwarded-Host are believed only from a trusted proxy.

    Django believes SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST from any peer; behind a
    reverse proxy that overwrites them that is right, but a client reaching the web process past
    the proxy could claim "https" or another host. So the headers are dropped unless the immediate
    peer is in settings.TRUSTED_PROXIES (MOFANG_TRUSTED_PROXIES, the list the client address and
    rate limits use). Runs first, before SecurityMiddleware reads request.is_secure().
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ssl_header = settings.SECURE_PROXY_SSL_HEADER[0] if settings.SECURE_PROXY_SSL_HEADER else None
        forwarded = [h for h in (ssl_header, "HTTP_X_FORWARDED_HOST") if h and h in request.META]
        if forwarded and not _is_trusted(_address(request.META.get("REMOTE_ADDR"))):
            for header in forwarded:
                del request.META[header]
        return self.get_response(request)
