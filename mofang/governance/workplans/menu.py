"""Menu entries and home-page to-dos of 清单管理 (registered from AppConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.registry import (
    CockpitCounter,
    MenuEntry,
    TodoItem,
    in_region,
    register_cockpit_counter,
    register_menu,
    register_todo,
)

MODULE = "清单管理"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "工作清单", "workplans:plan_list", "workplans.view_plan", 80),
        MenuEntry("management", MODULE, "我的清单事项", "workplans:mine", "workplans.report", 81),
    )
    register_todo(todos)
    register_cockpit_counter(
        CockpitCounter(
            "workplans.unreported",
            MODULE,
            "本月待报送的清单事项",
            "workplans.view_item",
            unreported,
            url_name="workplans:mine",
            order=50,
        )
    )


def todos(request) -> list[TodoItem]:
    """Items the user's units lead that have no report for this month (through the scope layer)."""
    from .models import WorkItem

    user = request.user
    if not has_perm(user, "workplans.report"):
        return []
    n = (
        WorkItem.objects.visible_to(user, "workplans.view_item")
        .led_by_units_of(user)
        .unreported(timezone.localdate())
        .count()
    )
    if not n:
        return []
    return [TodoItem("本月待报送的清单事项", n, f"{reverse('workplans:mine')}?pending=1&lead=mine", "warning")]


def unreported(user, region, now) -> tuple[int, None]:
    """The cockpit's row: this year's items in the region with no report for this month (the to-do's rule)."""
    from .models import WorkItem

    qs = in_region(WorkItem.objects.visible_to(user, "workplans.view_item"), region)
    return qs.unreported(timezone.localdate(now)).count(), None
