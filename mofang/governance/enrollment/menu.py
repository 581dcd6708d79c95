"""Menu entries and the home-page figure of 入学早知道 (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.web.registry import (
    MenuEntry,
    TodoItem,
    register_menu,
    register_overview,
    register_public_link,
    register_todo,
)

from .models import Draw, DrawStatus, IntakeWarning, Level, WaiverStatus
from .services import intake_years

MODULE = "入学早知道"


def register() -> None:
    register_public_link("入学早知道", "enrollment:index", "查学校、查学区、看三年入学预警", tab="入学")
    register_menu(
        MenuEntry("management", MODULE, "入学早知道查询", "enrollment:index", None, 20),
        MenuEntry("management", MODULE, "入学预警", "enrollment:warning_list", "enrollment.view_warning", 21),
        MenuEntry("management", MODULE, "学区划分", "enrollment:community_list", "enrollment.view_district", 22),
        MenuEntry("management", MODULE, "招生政策", "enrollment:policy_index", "enrollment.set_policy", 23),
        MenuEntry("management", MODULE, "入学报名", "enrollment:registration_list", "enrollment.view_registration", 24),
        MenuEntry("management", MODULE, "电脑派位", "enrollment:draw_list", "enrollment.view_draw", 26),
        MenuEntry("management", MODULE, "新建电脑派位", "enrollment:draw_new", "enrollment.run_draw", 27),
        MenuEntry("management", MODULE, "录取名单", "enrollment:admitted_list", "enrollment.view_admission", 28),
        MenuEntry("management", MODULE, "我的报名", "enrollment:my_registrations", "enrollment.register", 25),
        MenuEntry("management", MODULE, "放弃录取申请", "enrollment:waiver_list", "enrollment.decide_waiver", 29),
    )
    register_overview(overview)
    register_todo(todos)


def todos(request) -> list[TodoItem]:
    """The notary: each draw waiting for its seed, linking to that draw. Schools and bureaus:
    放弃录取 requests waiting for their decision, linking to the filtered list."""
    from . import waivers

    user = request.user
    items = [
        TodoItem(f"待录入随机种子：{d}", 1, reverse("enrollment:draw_manage", args=[d.pk]), "warning")
        for d in Draw.objects.visible_to(user, "enrollment.enter_seed")
        .filter(status=DrawStatus.DRAFT)
        .select_related("county")
        .order_by("year", "county__path", "stage")[:20]
    ]
    pending = waivers.pending_waivers(user).count()
    if pending:
        url = f"{reverse('enrollment:waiver_list')}?waiver_status={WaiverStatus.PENDING}"
        items.append(TodoItem("待确认放弃录取申请", pending, url, "warning"))
    return items


def overview(request) -> list[TodoItem]:
    """For those who watch the warnings: red ones in the next three intakes, through the scope layer."""
    warnings = IntakeWarning.objects.visible_to(request.user, "enrollment.view_warning")
    if not warnings.exists():
        return []
    red = warnings.filter(level=Level.RED, year__in=intake_years()).count()
    return [TodoItem("红色入学预警", red, f"{reverse('enrollment:warning_list')}?level={Level.RED}", "danger")]
