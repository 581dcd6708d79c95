"""Menu entries and home-page to-dos of 政令一键智达 (registered from AppConfig.ready())."""

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

MODULE = "政令一键智达"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "发出的政令", "directives:sent", "directives.view", 80),
        MenuEntry("management", MODULE, "发送政令", "directives:compose", "directives.send", 81),
        MenuEntry("management", MODULE, "政令收文", "directives:deliveries", "directives.view_delivery", 82),
    )
    register_todo(todos)
    register_cockpit_counter(
        CockpitCounter(
            "directives.pending",
            MODULE,
            "未办结的政令（单位）",
            "directives.view_delivery",
            pending,
            url_name="directives:deliveries",
            order=40,
        )
    )


def todos(request) -> list[TodoItem]:
    """我的待办: directives addressed to the user's own unit and not yet done; for senders, the
    directives they sent with units overdue (each opens on its page, where 催办 is) — all through
    the scope layer."""
    from .models import Delivery, Directive

    user = request.user
    out = []
    if has_perm(user, "directives.view_delivery"):
        mine = Delivery.objects.visible_to(user, "directives.view_delivery").to_units_of(user)
        url = reverse("directives:deliveries") + "?mine=1&state="
        n = mine.unsigned().count()
        if n:
            out.append(TodoItem("待签收的政令", n, url + "unsigned", "danger"))
        n = mine.awaiting_action().count()
        if n:
            out.append(TodoItem("待办理（填报/转发）的政令", n, url + "todo", "warning"))
    if has_perm(user, "directives.view"):
        n = Directive.objects.visible_to(user, "directives.view").overdue_sent_by_units_of(user, timezone.now()).count()
        if n:
            url = f"{reverse('directives:sent')}?todo=overdue"
            out.append(TodoItem("有单位逾期未办的发出政令", n, url, "warning"))
    return out


def pending(user, region, now) -> tuple[int, int]:
    """The cockpit's row: deliveries to units in the region not yet done; overdue: past the deadline."""
    from .models import Delivery

    qs = in_region(Delivery.objects.visible_to(user, "directives.view_delivery"), region)
    return qs.not_done().count(), qs.overdue(now).count()
