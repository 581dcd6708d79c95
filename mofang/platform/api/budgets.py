"""Query budget of 接口密钥 (see mofang/platform/budgets.py)."""

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from .keys import create_key

COVERS = ("api_keys:list",)


def scene(tree, n: int) -> Scene:
    """n keys, each naming its unit and its creator."""
    admin = make_user("budget_keys", "county_admin", tree.county)
    for i in range(n):
        create_key(acting_user=admin, name=f"系统{i}", org=tree.school if i % 2 else tree.county, kinds=["roll"])
    return Scene(user=admin)
