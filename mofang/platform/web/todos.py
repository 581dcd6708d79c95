"""The platform's own home-page items: to-dos (failed jobs, undelivered SMS) and overview
figures (schools, students, staff), all counted within the user's scope.

A figure appears only where it means something for the role: 学校 for those who oversee a region
(a school's own staff and a department's liaison have no schools to count), 学生 and 教职工 for
those granted a unit's whole roll (a parent's own children are not a figure)."""

from django.urls import reverse

from mofang.platform.accounts.scope import grants_for, has_perm
from mofang.platform.jobs.models import Job, failed_within
from mofang.platform.notifications.models import DeliveryStatus, SMSMessage
from mofang.platform.orgs.models import REGION_KINDS, OrgKind, OrgUnit
from mofang.platform.people.models import Staff, Student

from .registry import TodoItem, register_overview, register_todo


@register_todo
def platform_todos(request) -> list[TodoItem]:
    user = request.user
    items = []
    if has_perm(user, "jobs.view_job"):
        failed = failed_within(Job.objects.visible_to(user, "jobs.view_job"), days=7)
        items.append(TodoItem("近7天失败的后台任务", failed.count(), reverse("jobs:failed") + "?days=7", "warning"))
    if has_perm(user, "notifications.view_outbox"):
        undelivered = SMSMessage.objects.visible_to(user, "notifications.view_outbox").filter(
            status=DeliveryStatus.FAILED
        )
        items.append(
            TodoItem("发送失败的短信", undelivered.count(), reverse("web:outbox") + "?status=failed", "danger")
        )
    return items


def oversees_region(user, perm: str) -> bool:
    """Whether `user` holds `perm` on a whole province, city or county (not only a school or a department)."""
    orgs = {g.org_id for g in grants_for(user, perm) if not g.own}
    return any(m.org_id in orgs and m.org.kind in REGION_KINDS for m in user.active_memberships())


def holds_whole_unit(user, perm: str) -> bool:
    """Whether `user` holds `perm` on a unit's subtree, not only on records of their own."""
    return any(not g.own for g in grants_for(user, perm))


@register_overview
def master_data_overview(request) -> list[TodoItem]:
    user = request.user
    items = []
    if oversees_region(user, "orgs.view_org"):
        schools = OrgUnit.objects.visible_to(user, "orgs.view_org").filter(kind=OrgKind.SCHOOL).count()
        items.append(TodoItem("学校", schools, reverse("web:org_tree")))
    if holds_whole_unit(user, "people.view_student"):
        items.append(
            TodoItem(
                "学生", Student.objects.visible_to(user, "people.view_student").count(), reverse("web:student_list")
            )
        )
    if holds_whole_unit(user, "people.view_staff"):
        items.append(
            TodoItem("教职工", Staff.objects.visible_to(user, "people.view_staff").count(), reverse("web:staff_list"))
        )
    return items
