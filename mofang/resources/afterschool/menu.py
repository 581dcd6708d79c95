"""Menu entries and to-do providers (registered from AppConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .models import Course

MODULE = "课后服务"


def register() -> None:
    register_menu(
        MenuEntry("resources", MODULE, "课后服务选课", "afterschool:children", "afterschool.select", 20),
        MenuEntry("resources", MODULE, "今日点名", "afterschool:roll_today", "afterschool.take_roll", 21),
        MenuEntry("resources", MODULE, "课后服务课程", "afterschool:terms", "afterschool.view", 22),
        MenuEntry("resources", MODULE, "参与率与满意度", "afterschool:indicators", "afterschool.view_indicators", 23),
    )
    register_todo(todos)


def todos(request) -> list[TodoItem]:
    """A teacher's courses today whose roll call is not submitted yet (the rule of 今日点名)."""
    left = (
        Course.objects.visible_to(request.user, "afterschool.take_roll")
        .filter(teacher__user=request.user)
        .awaiting_roll(timezone.localdate())
        .count()
    )
    return (
        [TodoItem("今日课后服务待点名", left, f"{reverse('afterschool:roll_today')}?mine=1", "warning")]
        if left > 0
        else []
    )
