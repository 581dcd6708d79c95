"""Menu entries and home-page to-dos of 政令一键智达 (registered from AppConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import grants_for, has_perm
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
    """我的待办: directives addressed to the user's own unit and not yet done; for senders, units
    overdue on what they sent — all through the scope layer."""
    from .models import Delivery

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
        overdue = (
            Delivery.objects.visible_to(user, "directives.view_delivery")
            .overdue(timezone.now())
            .filter(directive__in=_own_directives(user))
            .count()
        )
        if overdue:
            out.append(TodoItem("发出政令中逾期未办的单位", overdue, reverse("directives:sent"), "warning"))
    return out


def _own_directives(user):
    from .models import Directive

    return (
        Directive.objects.visible_to(user, "directives.view")
        .filter(sender_org_id__in=[g.org_id for g in grants_for(user, "directives.view")])
        .values("pk")
    )


def pending(user, region, now) -> tuple[int, int]:
    """The cockpit's row: deliveries to units in the region not yet done; overdue: past the deadline."""
    from .models import Delivery

    qs = in_region(Delivery.objects.visible_to(user, "directives.view_delivery"), region)
    return qs.not_done().count(), qs.overdue(now).count()
