"""Menu entries of 教育智治一张图 (registered from AppConfig.ready())."""

from mofang.platform.web.registry import MenuEntry, register_menu

from .roles import VIEW

MODULE = "教育智治一张图"


def register() -> None:
    register_menu(
        MenuEntry("data", MODULE, "一张图", "cockpit:index", VIEW, 10),
        MenuEntry("data", MODULE, "大屏模式", "cockpit:screen", VIEW, 11),
    )
