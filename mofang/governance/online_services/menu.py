"""Menu entries and home-page to-dos of 一网通办 (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .roles import APPLY, HANDLE, MANAGE_CATALOGUE, VIEW

MODULE = "一网通办"


def register() -> None:
    register_menu(
        MenuEntry("platform", "家长服务", "一网通办", "online_services:mine", APPLY, 6),
        MenuEntry("management", MODULE, "一网通办办理", "online_services:desk", HANDLE, 90),
        MenuEntry(
            "management", MODULE, "一网通办事项目录", "online_services:catalogue", (HANDLE, MANAGE_CATALOGUE), 91
        ),
    )
    register_todo(todos)


def handling_units(user) -> list[int]:
    """The units where the user handles applications (holds the permission in a membership there)."""
    return [m.org_id for m in user.active_memberships() if HANDLE in m.role.permissions]


def todos(request) -> list[TodoItem]:
    """Open applications in the queues of the user's own units, and those past their time limit."""
    from django.utils import timezone

    from mofang.platform.cases.models import Case

    from .cases import TYPE_CODES

    user = request.user
    if not has_perm(user, HANDLE):
        return []
    units = handling_units(user)
    qs = Case.objects.visible_to(user, VIEW).filter(
        case_type__in=TYPE_CODES, state_kind="open", responsible_org_id__in=units
    )
    n = qs.count()
    if not n:
        return []
    url = f"{reverse('online_services:desk')}?queue=mine"
    items = [TodoItem("待办理的一网通办申请", n, url, "warning")]
    late = qs.filter(due_at__lt=timezone.now()).count()
    if late:
        items.append(TodoItem("超过法定时限的一网通办申请", late, url + "&overdue=1", "danger"))
    return items
