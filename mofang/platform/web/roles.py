"""The shell's own permission: the API documentation is for administrators (issue 14)."""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW_API_DOCS = "api.view_docs"

register_permissions({VIEW_API_DOCS: "查看接口文档"})

for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, VIEW_API_DOCS)
