"""The platform's own home-page items: to-dos (failed jobs, undelivered SMS) and overview
figures (schools, students, staff), all counted within the user's scope."""

from django.urls import reverse

from mofang.platform.accounts.scope import has_perm
from mofang.platform.jobs.models import Job, failed_within
from mofang.platform.notifications.models import DeliveryStatus, SMSMessage
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Staff, Student

from .registry import TodoItem, register_overview, register_todo


@register_todo
def platform_todos(request) -> list[TodoItem]:
    user = request.user
    items = []
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


@register_overview
def master_data_overview(request) -> list[TodoItem]:
    user = request.user
    items = []
    if has_perm(user, "orgs.view_org"):
        schools = OrgUnit.objects.visible_to(user, "orgs.view_org").filter(kind=OrgKind.SCHOOL).count()
        items.append(TodoItem("学校", schools, reverse("web:org_tree")))
    if has_perm(user, "people.view_student"):
        items.append(
            TodoItem(
                "学生", Student.objects.visible_to(user, "people.view_student").count(), reverse("web:student_list")
            )
        )
    if has_perm(user, "people.view_staff"):
        items.append(
            TodoItem("教职工", Staff.objects.visible_to(user, "people.view_staff").count(), reverse("web:staff_list"))
        )
    return items
