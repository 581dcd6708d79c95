"""Menu entries and the home-page to-do of 心理健康护航 (registered from AppConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .roles import AGGREGATE, ASSIGN, HOTLINE, MANAGE, VIEW_RECORD

MODULE = "心理健康护航"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "危机预警", "mentalhealth:alerts", VIEW_RECORD, 90),
        MenuEntry("management", MODULE, "我负责的学生", "mentalhealth:my_students", VIEW_RECORD, 91),
        MenuEntry("management", MODULE, "心理筛查", "mentalhealth:campaigns", MANAGE, 92),
        MenuEntry("management", MODULE, "护航分配", "mentalhealth:assignments", ASSIGN, 93),
        MenuEntry("management", MODULE, "筛查汇总", "mentalhealth:summary", AGGREGATE, 94),
        MenuEntry("management", MODULE, "心理热线", "mentalhealth:hotline", HOTLINE, 95),
    )
    register_todo(todos)


def todos(request) -> list[TodoItem]:
    """Crisis alerts of the user's assigned students not yet acknowledged (through the scope layer)."""
    from .models import CrisisAlert

    user = request.user
    if not has_perm(user, VIEW_RECORD):
        return []
    qs = CrisisAlert.objects.visible_to(user, VIEW_RECORD).filter(acknowledged_at__isnull=True)
    n = qs.count()
    if not n:
        return []
    overdue = qs.filter(due_at__lt=timezone.now()).exists()
    return [
        TodoItem(
            "待确认的心理危机预警", n, f"{reverse('mentalhealth:alerts')}?open=1", "danger" if overdue else "warning"
        )
    ]
