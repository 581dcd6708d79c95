"""Who manages the per-system API keys, and the roles a key's service account holds.

A key writes as its own service account (one User per key, no password): the account holds, at the
key's org unit, one membership per record kind the key may write, with the role below. So a key is
scoped by the one scope layer exactly as a person's grant would be (visible_to, has_perm_at)."""

from mofang.platform.accounts.registry import grant, register_permissions, register_role

MANAGE_KEY = "api.manage_key"

register_permissions({MANAGE_KEY: "管理外部系统接口密钥（新建、吊销）"})
for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, MANAGE_KEY)

# record kind → (role code, role name, permissions the service account needs to write it)
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "roll": ("api_roll", "接口：学籍异动", ("people.view_student", "people.change_student", "orgs.view_org")),
    "staff": ("api_staff", "接口：教职工", ("people.view_staff", "people.change_staff", "orgs.view_org")),
}
KIND_LABELS = {"roll": "学籍异动（入学、转出、转入、休学、复学、辍学）", "staff": "教职工信息"}

for _kind, (_code, _name, _perms) in KINDS.items():
    register_role(_code, _name, rank=200)
    grant(_code, *_perms)
