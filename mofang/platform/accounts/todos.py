"""Home-page to-dos of account managers: locked-out accounts and new accounts never used."""

from django.urls import reverse

from mofang.platform.web.registry import TodoItem, register_todo

from .models import User
from .policy import MANAGE
from .scope import has_perm


@register_todo
def account_todos(request) -> list[TodoItem]:
    user = request.user
    if not has_perm(user, MANAGE):
        return []
    accounts = User.objects.visible_to(user, MANAGE)
    url = reverse("accounts:user_list")
    return [
        TodoItem("待解锁账号", accounts.locked_out().count(), f"{url}?status=locked", "danger"),
        TodoItem("已开通但从未登录的账号", accounts.never_used().count(), f"{url}?status=unused", "info"),
    ]
