"""Menu entries of the indicators core (教育数据)."""

from mofang.platform.web.registry import MenuEntry, register_menu

from .roles import CHANGE_TARGET, IMPORT, VIEW, VIEW_RULE

MODULE = "指标体系"


def register() -> None:
    register_menu(
        MenuEntry("data", MODULE, "指标目录", "indicators:catalogue", VIEW, 10),
        MenuEntry("data", MODULE, "指标目标", "indicators:targets", CHANGE_TARGET, 11),
        MenuEntry("data", MODULE, "数据校验", "indicators:rules", VIEW_RULE, 12),
        MenuEntry("data", MODULE, "统计数据导入", "indicators:import", IMPORT, 13),
    )
