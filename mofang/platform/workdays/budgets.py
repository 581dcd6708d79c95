"""Query budget of the working-day calendar (see mofang/platform/budgets.py)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from .models import BureauDay, DayKind

COVERS = ("workdays:calendar",)


def scene(tree, n: int) -> Scene:
    """n local days of this year declared for the county, each entered by a user."""
    clerk = make_user("budget_days_clerk", "city_admin", tree.city)
    first = dt.date(timezone.localdate().year, 1, 1)
    for i in range(n):
        BureauDay.objects.create(
            org=tree.county,
            date=first + dt.timedelta(days=7 * i),
            kind=DayKind.HOLIDAY,
            name=f"预算放假{i}",
            created_by=clerk,
        )
    return Scene(user=make_user("budget_days", "county_admin", tree.county))
