"""The OpenAPI description's shared parts, added to every operation in one place (the schema class
set as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]), so no view has to remember them:

- the query parameters a viewset validates (`get_query_serializer_class()`, see scoped.py),
  with their types, choices, bounds and which are required;
- the error answers every operation can give — 400 (a bad parameter or body, a NUL in the query
  string), 401, 403, 404 — and 429 where the view is throttled, 503 while the database is
  unreachable; all with the one `Error` shape (errors.py).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "所有错误的统一格式：detail 为一句中文说明（参数或字段错误时点名该字段）；"
        "参数或字段错误时，另以字段名为键给出该字段的错误信息列表。"
    ),
    "properties": {"detail": {"type": "string", "description": "中文错误说明"}},
    "required": ["detail"],
    "additionalProperties": {
        "type": "array",
        "items": {"type": "string"},
        "description": "以参数或字段名为键：该参数或字段的错误信息",
    },
    "example": {
        "detail": "page_size：每页条数 page_size 应为 1 到 500 之间的整数",
        "page_size": ["每页条数 page_size 应为 1 到 500 之间的整数"],
    },
}
_RETRY_AFTER = {"schema": {"type": "integer"}, "description": "建议多少秒后重试"}
_ERRORS: list[tuple[str, str, dict]] = [
    ("400", "请求参数或内容有误（含参数中的 `NUL` 字符）", {}),
    (
        "401",
        "未登录或访问令牌无效",
        {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "认证方式（`Token`）", "required": True}},
    ),
    ("403", "没有该操作的权限", {}),
    ("404", "对象不存在、不在您的数据范围内，或页码超出范围", {}),
]
_THROTTLED = ("429", "请求过于频繁", {"Retry-After": _RETRY_AFTER})
_UNAVAILABLE = ("503", "数据库暂时不可用，请稍后重试", {"Retry-After": {**_RETRY_AFTER, "required": True}})


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        get_cls = getattr(self.view, "get_query_serializer_class", None)
        cls = get_cls() if get_cls is not None else None
        if cls is not None:
            parameters.insert(0, cls)
        return parameters

    def _by_api_key(self) -> bool:
        from .auth import ApiKeyAuthentication

        return any(issubclass(c, ApiKeyAuthentication) for c in getattr(self.view, "authentication_classes", ()))

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        self.registry.register_on_missing(
            ResolvedComponent(
                name=ERROR_COMPONENT, type=ResolvedComponent.SCHEMA, object=ERROR_COMPONENT, schema=ERROR_SCHEMA
            )
        )
        errors = list(_ERRORS)
        if getattr(self.view, "throttle_classes", None):
            errors.append(_THROTTLED)
        errors.append(_UNAVAILABLE)
        responses = operation["responses"]
        for code, description, headers in errors:
            if code in responses:
                continue
            response = {
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
                "description": description,
            }
            if headers:
                response["headers"] = headers
            if code == "401" and self._by_api_key():
                response["description"] = "未提供接口密钥，或密钥无效、已吊销"
                response["headers"] = {
                    "WWW-Authenticate": {**headers["WWW-Authenticate"], "description": "认证方式（`Api-Key`）"}
                }
            responses[code] = response
        return operation
