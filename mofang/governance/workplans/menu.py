"""Menu entries and home-page to-dos of 清单管理 (registered from AppConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

MODULE = "清单管理"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "工作清单", "workplans:plan_list", "workplans.view_plan", 80),
        MenuEntry("management", MODULE, "我的清单事项", "workplans:mine", "workplans.report", 81),
    )
    register_todo(todos)


def todos(request) -> list[TodoItem]:
    """Items the user's units lead that have no report for this month (through the scope layer)."""
    from .models import WorkItem

    user = request.user
    if not has_perm(user, "workplans.report"):
        return []
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    lead_ids = [m.org_id for m in user.active_memberships() if "workplans.report" in m.role.permissions]
    n = (WorkItem.objects.visible_to(user, "workplans.view_item").filter(plan__year=today.year, lead_unit_id__in=lead_ids)
         .exclude(reports__month=month).distinct().count())
    if not n:
        return []
    return [TodoItem("本月待报送的清单事项", n, f"{reverse('workplans:mine')}?pending=1", "warning")]
