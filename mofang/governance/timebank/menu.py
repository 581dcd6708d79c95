"""Menu entries and to-do providers (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.web.registry import (
    CockpitCounter,
    MenuEntry,
    TodoItem,
    in_region,
    register_cockpit_counter,
    register_menu,
    register_overview,
    register_todo,
)

from .models import Account, Bank, LeaveRequest, MonthlyStatement

MODULE = "教师时间银行"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "我的时间账户", "timebank:my", "timebank.request_leave", 10),
        MenuEntry("management", MODULE, "时间银行", "timebank:bank_list", "timebank.view_bank", 11),
        MenuEntry("management", MODULE, "抵假审批", "timebank:approvals", "timebank.approve_leave", 12),
        MenuEntry("management", MODULE, "时间账户分录", "timebank:entry_list", "timebank.post_correction", 13),
        MenuEntry("management", MODULE, "时间余额公示", "timebank:publication_list", "timebank.view_publication", 14),
    )
    register_todo(todos)
    register_overview(overview)
    register_cockpit_counter(
        CockpitCounter(
            "timebank.leave_pending",
            MODULE,
            "待审批抵假申请",
            "timebank.view_leave",
            leave_pending,
            url_name="timebank:approvals",
            order=20,
        )
    )


def overview(request) -> list[TodoItem]:
    """For those who oversee banks: how many schools opened one, how many teachers hold accounts.
    For a member of staff with statements of their own: 我的月度对账单 (a figure, not a to-do — there
    is nothing to act on), naming the latest month's balance and opening the list of exactly them."""
    user = request.user
    items = []
    banks = Bank.objects.visible_to(user, "timebank.view_bank")
    if banks.exists():
        items += [
            TodoItem("开通时间银行的学校", banks.count(), reverse("timebank:bank_list")),
            TodoItem(
                "教师时间账户",
                Account.objects.visible_to(user, "timebank.view_account").count(),
                reverse("timebank:account_list"),
            ),
        ]
    mine = MonthlyStatement.objects.visible_to(user, "timebank.view_statement").of_user(user)
    latest = mine.order_by("-month").first()
    if latest is not None:
        title = f"我的月度对账单（{latest.month_label}结余{latest.closing_balance}小时）"
        items.append(TodoItem(title, mine.count(), f"{reverse('timebank:statement_list')}?mine=1"))
    return items


def todos(request) -> list[TodoItem]:
    """Pending approvals for approvers (the statement that is out is an overview figure, not a to-do)."""
    user = request.user
    items = []
    pending = LeaveRequest.objects.visible_to(user, "timebank.approve_leave").pending()
    count = pending.count()
    if count:
        items.append(TodoItem("待审批抵假申请", count, reverse("timebank:approvals"), "warning"))
    return items


def leave_pending(user, region, now) -> tuple[int, None]:
    """The cockpit's row: 待审批 leave requests in the region (the to-do's rule)."""
    return in_region(LeaveRequest.objects.visible_to(user, "timebank.view_leave"), region).pending().count(), None
