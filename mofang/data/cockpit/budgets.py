"""Query budgets of 教育智治一张图 and its 大屏 (see mofang/platform/budgets.py)."""

from decimal import Decimal

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_staff, make_student, make_user

COVERS = ("cockpit:index", "cockpit:screen")


def scene(tree, n: int) -> Scene:
    """n schools of the county, each a point on the map with a pupil and a teacher; the county's
    page (map, cards, league table) as its administrator sees it."""
    for i in range(n):
        school = add(
            tree.county,
            f"预算学校{i}",
            OrgKind.SCHOOL,
            f"33082301{i:02d}",
            school_type="primary",
            longitude=Decimal("118.5") + Decimal(i) / 100,
            latitude=Decimal("28.9"),
        )
        make_student(school, f"预算学生{i}")
        make_staff(school, f"预算教师{i}")
    region = f"?region={tree.county.pk}"
    return Scene(
        user=make_user("budget_cockpit", "county_admin", tree.county),
        urls={"cockpit:index": f"/cockpit/{region}", "cockpit:screen": f"/cockpit/screen/{region}"},
    )
