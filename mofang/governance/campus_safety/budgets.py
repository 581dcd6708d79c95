"""Query budgets of 校园安全一件事's lists and region pages (see mofang/platform/budgets.py)."""

import datetime as dt

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from . import checklist, services
from .cases import CODE

COVERS = (
    "campus_safety:hazards",
    "campus_safety:visits",
    "campus_safety:dashboard",
    "campus_safety:checklist_overview",
)
NOT_LISTS = {
    "campus_safety:report": "the report form",
    "campus_safety:visit_new": "the visit form",
    "campus_safety:checklist": "one school's 一校一单: its items come from the catalogue and the school's profile",
    "campus_safety:routes": "one county's routing table: a row per category of the catalogue",
}


def scene(tree, n: int) -> Scene:
    """n schools of the county, each reporting a hazard to a department of its own (half claimed),
    visited by it, and with a safety profile and a ticked 一校一单 item this month."""
    from mofang.platform.cases import services as cases

    period = checklist.current_period()
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082296{i:02d}", school_type="primary")
        department = add(tree.county, f"预算部门{i}", OrgKind.DEPARTMENT)
        case = cases.open_case(
            CODE,
            title=f"预算隐患{i}",
            reporting_org=school,
            responsible_org=department,
            category="traffic",
            acting_user=None,
        )
        if i % 2:
            cases.claim(case, acting_user=make_user(f"budget_cs_liaison{i}", "dept_liaison", department))
        services.record_visit(
            department, school, acting_user=None, date=dt.date(2026, 3, 1), topic="交通安全", result=f"预算指导{i}"
        )
        checklist.save_profile(school, acting_user=None, near_water=True)
        checklist.set_ticks(school, period, {"gate_duty": f"预算说明{i}"}, acting_user=None)
    return Scene(user=make_user("budget_campus_safety", "county_admin", tree.county))
