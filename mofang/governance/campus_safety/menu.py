"""Menu entries and the home-page to-do of 校园安全 (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.cases.queries import queue
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .cases import CODE
from .roles import MANAGE_ROUTES, RECORD_VISIT, REPORT, TICK_CHECKLIST, VIEW, VIEW_CHECKLIST, VIEW_VISIT

MODULE = "校园安全一件事"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "上报隐患", "campus_safety:report", REPORT, 40),
        MenuEntry("management", MODULE, "隐患台账", "campus_safety:hazards", VIEW, 41),
        MenuEntry("management", MODULE, "校园安全态势", "campus_safety:dashboard", VIEW, 42),
        MenuEntry("management", MODULE, "一校一单", "campus_safety:checklist", TICK_CHECKLIST, 43),
        MenuEntry("management", MODULE, "一校一单完成情况", "campus_safety:checklist_overview", VIEW_CHECKLIST, 44),
        MenuEntry("management", MODULE, "分派规则", "campus_safety:routes", MANAGE_ROUTES, 45),
        MenuEntry("management", MODULE, "服务指导", "campus_safety:visits", VIEW_VISIT, 46),
        MenuEntry("management", MODULE, "登记服务指导", "campus_safety:visit_new", RECORD_VISIT, 47),
    )
    register_todo(queue_todo)


def queue_todo(request) -> list[TodoItem]:
    """待认领: hazards waiting, unclaimed, in the queue of a unit where the user works it — the
    engine's queue rule (cases.queries.queue), the same the hazard list shows with ?view=queue."""
    n = queue(request.user, CODE).count()
    if not n:
        return []
    return [TodoItem("待认领的校园安全隐患", n, reverse("campus_safety:hazards") + "?view=queue", "warning")]
