"""Menu entries for guardians and binding children, and the school's to-do of pending bindings."""

from django.urls import reverse

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .roles import BIND_CHILD, CONFIRM_BINDING, PROMOTE_STUDENTS

register_menu(
    MenuEntry("data", "主数据", "学年升级", "people:promotion", PROMOTE_STUDENTS, 25),
    MenuEntry("data", "主数据", "家长", "people:guardian_list", "people.view_guardian", 35),
    MenuEntry("data", "主数据", "家长绑定确认", "people:binding_list", CONFIRM_BINDING, 36),
    MenuEntry("platform", "家长服务", "绑定孩子", "people:bind", BIND_CHILD, 5),
)


@register_todo
def binding_todos(request) -> list[TodoItem]:
    from .models import BindingRequest, BindingStatus

    user = request.user
    items = []
    if has_perm(user, CONFIRM_BINDING):
        pending = BindingRequest.objects.visible_to(user, CONFIRM_BINDING).filter(status=BindingStatus.PENDING)
        items.append(TodoItem("待确认的家长绑定申请", pending.count(), reverse("people:binding_list"), "warning"))
    if has_perm(user, BIND_CHILD):  # a parent: its own requests still waiting for the school
        mine = BindingRequest.objects.visible_to(user, BIND_CHILD).filter(status=BindingStatus.PENDING)
        items.append(TodoItem("等待学校确认的绑定申请", mine.count(), reverse("people:bind")))
    return items
