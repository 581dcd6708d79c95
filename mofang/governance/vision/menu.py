"""Menu entries of 视力健康 (registered from AppConfig.ready())."""

from mofang.platform.web.registry import MenuEntry, register_menu, register_personal_data_pages

from .roles import FIGURES, OWN, RECORD

MODULE = "视力健康"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "孩子的视力", "vision:my", OWN, 60),
        MenuEntry("management", MODULE, "视力筛查录入", "vision:classes", RECORD, 61),
        MenuEntry("management", MODULE, "近视率", "vision:rates", FIGURES, 62),
    )
    register_personal_data_pages("vision:classes", "vision:class_entry", "vision:screening", "vision:my")
