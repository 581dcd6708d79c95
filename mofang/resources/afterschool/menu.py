"""Menu entries and to-do providers (registered from AppConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .models import Course, Session

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
    """A teacher's courses today whose roll call is not submitted yet."""
    today = timezone.localdate()
    if today.isoweekday() > 5:
        return []
    perm = "afterschool.take_roll"
    mine = Course.objects.visible_to(request.user, perm).filter(
        teacher__user=request.user, weekday=today.isoweekday(), term__starts_on__lte=today, term__ends_on__gte=today
    )
    # a session is scoped as its course is (the course's school, its teacher): the same rows, through the scope layer
    done = (
        Session.objects.visible_to(request.user, perm)
        .filter(course__in=mine, date=today, submitted_at__isnull=False)
        .count()
    )
    left = mine.count() - done
    return [TodoItem("今日课后服务待点名", left, reverse("afterschool:roll_today"), "warning")] if left > 0 else []
