"""Menu entries of 综合素质评价 (registered from AppConfig.ready())."""

from mofang.platform.web.registry import MenuEntry, register_menu, register_personal_data_pages

from .roles import FIGURES, OWN, VIEW

MODULE = "综合素质评价"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "孩子的综合素质评价", "quality_eval:my", OWN, 63),
        MenuEntry("management", MODULE, "综合素质评价", "quality_eval:classes", VIEW, 64),
        MenuEntry("management", MODULE, "运动技能与艺术特长达标率", "quality_eval:rates", FIGURES, 65),
    )
    register_personal_data_pages(
        "quality_eval:my",
        "quality_eval:entry",
        "quality_eval:record",
        "quality_eval:record_edit",
        "quality_eval:klass",
        "quality_eval:publicity",
    )
