"""Query budgets of 教育督导's lists, 督学配备, 督查清单 and 督学名册 (see mofang/platform/budgets.py)."""

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from . import config, services
from .models import ItemResult

COVERS = (
    "supervision:visit_list",
    "supervision:rectification_list",
    "supervision:compliance",
    "supervision:checklist_list",
    "supervision:inspectors",
)
NOT_LISTS = {"supervision:visit_new": "the visit form (one checklist's items)"}


def scene(tree, n: int) -> Scene:
    """n schools of the county, each visited by an inspector of its own (with a login) who found a
    problem and issued a 整改通知 for it; n checklists of the county with an item each."""
    checklist = services.default_checklist()
    items = services.checklist_items(checklist)
    admin = make_user("budget_supervision", "county_admin", tree.county)
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082297{i:02d}", school_type="primary")
        actor = make_user(f"budget_dx{i}", "inspector", tree.county, full_name=f"预算督学{i}")
        inspector = services.add_inspector(
            tree.county, f"预算督学{i}", full_time=i % 2 == 0, user=actor, acting_user=None
        )
        results: dict[int, dict[str, str]] = {item.pk: {"result": ItemResult.OK} for item in items}
        results[items[0].pk] = {"result": ItemResult.PROBLEM, "note": f"预算问题{i}"}
        visit = services.record_visit(
            inspector=inspector,
            school=school,
            visited_on=timezone.localdate(),
            checklist=checklist,
            results=results,
            acting_user=actor,
        )
        services.issue_notice(visit.findings.get(), content=f"预算整改{i}", term_days=30, acting_user=actor)
        own = config.create_checklist(tree.county, name=f"预算清单{i}", acting_user=admin)
        config.add_item(own, f"预算条目{i}", acting_user=admin)
    return Scene(user=admin)
