"""Menu entries of 入学早知道 (registered from AppConfig.ready())."""

from mofang.platform.web.registry import MenuEntry, register_menu

MODULE = "入学早知道"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "入学早知道查询", "enrollment:index", None, 20),
        MenuEntry("management", MODULE, "入学预警", "enrollment:warning_list", "enrollment.view_warning", 21),
        MenuEntry("management", MODULE, "学区划分", "enrollment:community_list", "enrollment.view_district", 22),
        MenuEntry("management", MODULE, "预警阈值", "enrollment:policy_index", "enrollment.set_policy", 23),
    )
