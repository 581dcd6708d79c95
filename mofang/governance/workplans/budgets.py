"""Query budgets of 清单管理's lists (see mofang/platform/budgets.py)."""

from decimal import Decimal

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from . import services
from .models import PlanKind

COVERS = ("workplans:plan_list", "workplans:mine", "workplans:plan")


def scene(tree, n: int) -> Scene:
    """n lists of the county this year; the first has n items, each led by a school of its own with
    the county's department cooperating, a milestone and a progress report; every other item is
    measured by an indicator (the first list's page shows them all)."""
    admin = make_user("budget_workplans", "county_admin", tree.county)
    year = timezone.localdate().year
    plans = [
        services.create_plan(tree.county, year=year, name=f"预算清单{i}", kind=PlanKind.POINTS, acting_user=admin)
        for i in range(n)
    ]
    specs = []
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082298{i:02d}", school_type="primary")
        specs.append(
            services.ItemSpec(
                number=i + 1,
                title=f"预算事项{i}",
                target_text="完成年度任务",
                lead_unit=school,
                cooperating=(tree.department,),
                indicator_code="smart_campus_coverage" if i % 2 else "",
                target_value=Decimal(80) if i % 2 else None,
                milestones=((timezone.localdate().replace(month=12, day=31), f"预算节点{i}"),),
            )
        )
    month = f"{timezone.localdate():%Y-%m}"
    for item in services.add_items(plans[0], specs, acting_user=admin):
        services.report_progress(item, month=month, text="预算进展", percent="50", acting_user=admin)
    return Scene(user=admin, urls={"workplans:plan": f"/workplans/plans/{plans[0].pk}/"})
