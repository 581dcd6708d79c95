"""Permission-matrix endpoints of 接口密钥 (see mofang/platform/matrix.py): a key written for
tree.school (in scope of the county, city and province administrators) and one for
tree.other_school (江山市, out of every 常山县 scope). The key's service-account roles sit at the county."""

from mofang.platform.matrix import Endpoint, Target, register_matrix_place
from mofang.platform.testing import make_user

from .keys import create_key
from .registry import WRITE_KINDS
from .roles import MANAGE_KEY

for _kind in WRITE_KINDS.values():
    register_matrix_place(_kind.role_code, "county")


def make_objects(tree):
    maker = make_user("matrix_key_maker", "province_admin", tree.province)
    objs = {}
    for side, school in (("in", tree.school), ("out", tree.other_school)):
        tag = "甲" if side == "in" else "乙"
        key, _secret = create_key(acting_user=maker, name=f"矩阵系统{tag}", org=school, kinds=["roll"])
        objs[f"key_{side}"] = key
        objs[f"school_{side}"] = school
    return objs


def endpoints(o):
    def pair(url_fmt, kind, marker=lambda k: k.name, **kw):
        return Endpoint(
            name=f"{url_fmt} [{kind}]",
            kind=kind,
            perm=MANAGE_KEY,
            inside=Target(url_fmt.format(obj=o["key_in"]), marker(o["key_in"]), [o["school_in"]]),
            outside=Target(url_fmt.format(obj=o["key_out"]), marker(o["key_out"]), [o["school_out"]]),
            **kw,
        )

    return [
        pair("/api-keys/?q=矩阵", "list"),
        pair("/api-keys/?q=矩阵", "count"),
        pair("/api-keys/?q=矩阵&export=xlsx", "export"),
        pair("/api-keys/{obj.pk}/revoke/", "detail"),
        pair("/api-keys/{obj.pk}/revoke/", "change", marker=lambda k: "", method="POST"),
    ]
