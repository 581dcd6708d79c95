"""Who manages the per-system API keys, and the record kinds of the core a key may write.

A key writes as its own service account (one User per key, no password): the account holds, at the
key's org unit, the role `api_<kind>` of each record kind the key may write (registry.WRITE_KINDS;
modules add theirs from their api.py). So a key is scoped by the one scope layer exactly as a
person's grant would be (visible_to, has_perm_at)."""

from mofang.platform.accounts.registry import grant, register_permissions

from .registry import WRITE_KINDS, register_write_kind

MANAGE_KEY = "api.manage_key"

register_permissions({MANAGE_KEY: "管理外部系统接口密钥（新建、吊销）"})
for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, MANAGE_KEY)

register_write_kind("roll", "学籍异动", "people.view_student", "people.change_student", "orgs.view_org")
register_write_kind("staff", "教职工", "people.view_staff", "people.import_staff", "orgs.view_org")
register_write_kind("indicators", "指标统计数据", "indicators.import_statistics")


def kind_label(code: str) -> str:
    kind = WRITE_KINDS.get(code)
    return kind.label if kind else code
