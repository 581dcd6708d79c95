"""Query budgets of the indicator catalogue, targets, validation and imported statistics, and of
the indicator API (see mofang/platform/budgets.py)."""

from decimal import Decimal

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from .models import Indicator, Target, ValidationRule, Violation
from .services import write_statistics

COVERS = (
    "indicators:catalogue",
    "indicators:targets",
    "indicators:rules",
    "indicators:violations",
    "indicators:import",
    "indicator-list",
    "indicator-value-list",
    "indicators:detail",
)


def scene(tree, n: int) -> Scene:
    """n indicators and n validation rules over the imported smart-campus count, and n schools of
    the county, each with that statistic, a target and an open violation."""
    coverage = Indicator.objects.get(code="smart_campus_coverage")
    for i in range(n):
        Indicator.objects.create(code=f"budget-{i}", name=f"预算指标{i}", numerator="import.smart_campus_schools")
        ValidationRule.objects.create(
            code=f"budget-{i}", name=f"预算规则{i}", left="import.smart_campus_schools", operator="<=", right_constant=1
        )
    rule = ValidationRule.objects.get(code="budget-0")
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082294{i:02d}", school_type="primary")
        write_statistics(
            [("import.smart_campus_schools", school.pk, "2026", Decimal(2))], acting_user=None, org=tree.county
        )
        Target.objects.create(indicator=coverage, org=school, year=2026, value=Decimal("75.5"))
        Violation.objects.create(
            rule=rule, org=school, period="2026", left_value=2, right_value=1, found_at=timezone.now()
        )
    return Scene(
        user=make_user("budget_indicators", "county_admin", tree.county),
        urls={
            "indicators:targets": f"/indicators/targets/?indicator=smart_campus_coverage&year=2026&org={tree.county.pk}",
            "indicator-value-list": "/api/indicator-values/?indicator=smart_campus_coverage&kind=school&period=2026",
            "indicators:detail": f"/indicators/smart_campus_coverage/?org={tree.county.pk}&period=2026",
        },
    )
