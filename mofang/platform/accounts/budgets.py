"""Query budget of 账号管理 (see mofang/platform/budgets.py)."""

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from .models import Membership, Role

COVERS = ("accounts:user_list",)
NOT_LISTS = {"accounts:password_change": "a form for one's own password"}


def scene(tree, n: int) -> Scene:
    """n accounts with two posts each (every row names its units and roles)."""
    head = Role.objects.get(code="head_teacher")
    for i in range(n):
        user = make_user(f"budget_user{i}", "teacher", tree.school)
        Membership.objects.create(user=user, role=head, org=tree.klass)
    return Scene(user=make_user("budget_accounts", "county_admin", tree.county))
