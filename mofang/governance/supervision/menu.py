"""Menu entries and home-page to-dos of 教育督导 (registered from AppConfig.ready())."""

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
    register_public_link,
    register_todo,
)

MODULE = "教育督导"


def register() -> None:
    register_public_link("督导整改公示", "supervision:public", "教育督导发现问题的整改结果", tab="督导公示")
    register_menu(
        MenuEntry("management", MODULE, "督学配备", "supervision:compliance", "supervision.view_compliance", 60),
        MenuEntry("management", MODULE, "进校督查", "supervision:visit_list", "supervision.view_visit", 61),
        MenuEntry("management", MODULE, "新增督查记录", "supervision:visit_new", "supervision.record_visit", 62),
        MenuEntry(
            "management", MODULE, "整改通知", "supervision:rectification_list", "supervision.view_rectification", 63
        ),
        MenuEntry("management", MODULE, "督查清单", "supervision:checklist_list", "supervision.configure", 64),
        MenuEntry("management", MODULE, "督学名册", "supervision:inspectors", "supervision.configure", 65),
    )
    register_todo(todos)
    register_cockpit_counter(
        CockpitCounter(
            "supervision.recheck",
            MODULE,
            "到期回头看",
            "supervision.view_rectification",
            recheck_due,
            url_name="supervision:rectification_list",
            order=30,
        )
    )


def todos(request) -> list[TodoItem]:
    """待核查 and due 回头看 for inspectors; 待整改 for schools — through the scope layer."""
    from .models import Rectification

    user = request.user
    if not has_perm(user, "supervision.view_rectification"):
        return []
    rects = Rectification.objects.visible_to(user, "supervision.view_rectification")
    url = reverse("supervision:rectification_list")
    out = []
    if has_perm(user, "supervision.verify"):
        n = rects.filter(case__state="verifying").count()
        if n:
            out.append(TodoItem("待核查的整改", n, f"{url}?case__state=verifying", "warning"))
        n = rects.recheck_due(timezone.localdate()).count()
        if n:
            out.append(TodoItem("到期回头看", n, f"{url}?recheck=due", "warning"))
    if has_perm(user, "supervision.rectify"):
        n = rects.awaiting_rectification().count()
        if n:
            out.append(TodoItem("待完成的整改通知", n, f"{url}?todo=rectify", "danger"))
    return out


def recheck_due(user, region, now) -> tuple[int, None]:
    """The cockpit's row: rectifications in the region whose 回头看 date has come (the to-do's rule)."""
    from .models import Rectification

    qs = in_region(Rectification.objects.visible_to(user, "supervision.view_rectification"), region)
    return qs.recheck_due(timezone.localdate(now)).count(), None
