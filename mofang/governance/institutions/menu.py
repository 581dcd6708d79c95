"""Menu entries and the home-page to-do of 校外培训机构监管 (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.cases.queries import queue
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_public_link, register_todo

from .cases import APPLICATION, REPORT
from .roles import MANAGE_ROUTES, VIEW, VIEW_APPLICATION, VIEW_FEES

MODULE = "校外培训监管"


def register() -> None:
    register_public_link(
        "校外培训机构黑白名单", "institutions:public_lists", "查机构是否在白名单、为何列入黑名单", tab="黑白名单"
    )
    register_public_link("校外培训有奖举报", "institutions:public_report", "举报违规培训，核实后给予奖励", tab="举报")
    register_menu(
        MenuEntry("management", MODULE, "培训机构", "institutions:list", VIEW, 60),
        MenuEntry("management", MODULE, "办学审批", "institutions:applications", VIEW_APPLICATION, 61),
        MenuEntry("management", MODULE, "检查与暗访", "institutions:inspections", VIEW, 62),
        MenuEntry("management", MODULE, "黑白名单", "institutions:lists", VIEW, 63),
        MenuEntry("management", MODULE, "有奖举报", "institutions:reports", VIEW, 64),
        MenuEntry("management", MODULE, "超限预收费", "institutions:flagged", VIEW_FEES, 65),
        MenuEntry("management", MODULE, "预收费记录", "institutions:charges", VIEW_FEES, 66),
        MenuEntry("management", MODULE, "预收费上限", "institutions:limits", VIEW_FEES, 67),
        MenuEntry("management", MODULE, "分类审批规则", "institutions:routes", MANAGE_ROUTES, 68),
    )
    register_todo(queue_todo)


def queue_todo(request) -> list[TodoItem]:
    """待认领: applications and reports waiting in the queue of a unit where the user works it — the
    engine's queue rule (cases.queries.queue), the same the lists show with ?view=queue."""
    items = []
    for code, label, url in (
        (APPLICATION, "待受理的办学审批", "institutions:applications"),
        (REPORT, "待核查的有奖举报", "institutions:reports"),
    ):
        n = queue(request.user, code).count()
        if n:
            items.append(TodoItem(label, n, reverse(url) + "?view=queue", "warning"))
    return items
