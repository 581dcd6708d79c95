"""The key-management page in the platform menu (平台管理)."""

from mofang.platform.web.registry import MenuEntry, register_menu

from .roles import MANAGE_KEY

register_menu(MenuEntry("platform", "账号与权限", "接口密钥", "api_keys:list", MANAGE_KEY, 7))
