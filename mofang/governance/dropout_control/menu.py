"""Menu entries, the county's to-dos and the cockpit's counts (registered from AppConfig.ready())."""

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

from .roles import HANDLE, IMPORT, VIEW

MODULE = "控辍保学"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "控辍保学比对", "dropout_control:index", VIEW, 86),
        MenuEntry("management", MODULE, "导入适龄儿童名册", "dropout_control:import", IMPORT, 87),
    )
    register_todo(todos)
    register_cockpit_counter(
        CockpitCounter(
            "dropout_control.open_cases",
            MODULE,
            "未办结的控辍保学案件",
            VIEW,
            open_cases,
            url_name="dropout_control:index",
            order=45,
        )
    )


def _open(user):
    from mofang.platform.cases.models import Case

    from .cases import CODE

    return Case.objects.visible_to(user, VIEW).filter(case_type=CODE, state_kind="open")


def todos(request) -> list[TodoItem]:
    """我的待办: the county's open 控辍保学 cases, for those who handle them."""
    if not has_perm(request.user, HANDLE):
        return []
    left = _open(request.user).count()
    return [TodoItem("控辍保学待办案件", left, reverse("dropout_control:index"), "warning")] if left else []


def open_cases(user, region, now) -> tuple[int, int]:
    """The cockpit's row: open cases in the region; overdue: past their deadline."""
    qs = in_region(_open(user), region)
    return qs.count(), qs.filter(due_at__lt=now or timezone.now()).count()
