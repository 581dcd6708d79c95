"""Query budgets of the workbench home, the master-data lists, audit log, outbox and master-data API (see mofang/platform/budgets.py)."""

from mofang.platform.audit.models import AuditAction, AuditEntry
from mofang.platform.budgets import Scene
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_staff, make_student, make_user

COVERS = (
    "web:home",  # the workbench: every module's to-dos and figures, the apps and the menu
    "web:student_list",
    "web:staff_list",
    "web:audit_list",
    "web:outbox",
    "student-list",
    "staff-list",
    "orgunit-list",
    "web:org_detail",
    "web:org_children",
)
NOT_LISTS = {
    "web:org_tree": "the user's top nodes only; a node's children load on demand, one level at a time",
    "api-docs": "the API reference, built from the OpenAPI description, no rows",
}


def scene(tree, n: int) -> Scene:
    """n schools under the county (the org API), n students (one per class of their own), n staff,
    n audit entries and n text messages, seen by the county's administrator (the county's page
    and its children list the schools)."""
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082291{i:02d}", school_type="primary")
        klass = add(add(school, "一年级", OrgKind.GRADE), "一年级1班", OrgKind.CLASS)
        make_student(school, f"预算学生{i}", klass=klass)
        make_staff(school, f"预算教师{i}")
        AuditEntry.objects.create(action=AuditAction.ACTION, summary=f"预算审计{i}", org=school)
        SMSMessage.objects.create(org=school, phone="13900000000", text=f"预算短信{i}")
    county = f"/orgs/{tree.county.pk}/"
    return Scene(
        user=make_user("budget_web", "county_admin", tree.county),
        urls={"web:org_detail": county, "web:org_children": f"{county}children/"},
    )
