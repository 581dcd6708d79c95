"""`Authorization: Api-Key <prefix>.<secret>`: the request runs as the key's service account.

A key that is unknown or revoked is a 401 (Chinese, with WWW-Authenticate); each key is limited by
the platform's one rate limiter (accounts.ratelimit): a 429 in Chinese with Retry-After."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from mofang.platform.accounts.ratelimit import RateLimited

from .keys import KEY_LIMIT, SCHEME, key_for, note_use
from .models import ApiKey


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != SCHEME.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("接口密钥格式应为：Authorization: Api-Key <密钥>")
        try:
            raw = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("接口密钥无效或已吊销") from None
        key = key_for(raw)
        if key is None:
            raise exceptions.AuthenticationFailed("接口密钥无效或已吊销")
        note_use(key)
        return key.account, key

    def authenticate_header(self, request):
        return SCHEME


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "外部系统接口密钥：`Authorization: Api-Key <密钥>`（由省、市、区县管理员在「接口密钥」页面新建）",
        }


class KeyRateThrottle(throttling.BaseThrottle):
    """Per key, through accounts.ratelimit (the same limiter as the login and public forms)."""

    def allow_request(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        try:
            KEY_LIMIT.consume(key.pk)
        except RateLimited as exc:
            request.key_limit_message = exc.messages[0]  # read by BatchWriteViewSet.throttled
            # the refused rate's window: by then every request it counted has left it (an upper bound)
            self._wait = next((r.seconds for r in KEY_LIMIT.rates if r.message == exc.messages[0]), 60)
            return False
        return True

    def wait(self):
        return getattr(self, "_wait", 60)


class HasKeyFor(permissions.BasePermission):
    """The key may write the view's record kind."""

    message = "该接口密钥无权写入这类数据"

    def has_permission(self, request, view):
        key = request.auth
        return isinstance(key, ApiKey) and view.kind in key.kinds
