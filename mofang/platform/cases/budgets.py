"""Query budgets of the case queue, a type's list and the case API, over the example type
`casetest.hazard` (see mofang/platform/budgets.py)."""

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

COVERS = ("cases:index", "cases:type_list", "case-list")


def scene(tree, n: int) -> Scene:
    """n cases reported by tree.school to the county's department, half of them claimed."""
    from mofang.platform.accounts.roles import sync_roles

    from . import services
    from .examples import HAZARD, register_examples

    register_examples()
    sync_roles()  # the Role rows carry the example type's grants
    handler = make_user("budget_cases_handler", "dept_liaison", tree.department)
    for i in range(n):
        case = services.open_case(
            HAZARD.code,
            title=f"预算案件{i}",
            reporting_org=tree.school,
            responsible_org=tree.department,
            category="traffic",
            acting_user=None,
        )
        if i % 2:
            services.claim(case, acting_user=handler)
    return Scene(
        user=make_user("budget_cases", "county_admin", tree.county),
        urls={"cases:type_list": f"/cases/t/{HAZARD.code}/"},
    )
