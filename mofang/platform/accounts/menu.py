"""The accounts' menu entries (平台管理)."""

from mofang.platform.web.registry import MenuEntry, register_menu

register_menu(
    MenuEntry("platform", "账号与权限", "账号管理", "accounts:user_list", "accounts.view_user", 5),
    MenuEntry("platform", "我的", "修改密码", "accounts:password_change", None, 95, personal=True),
)
