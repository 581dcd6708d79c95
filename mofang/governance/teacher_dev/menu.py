"""Menu entries of 教师发展 (registered from AppConfig.ready())."""

from mofang.platform.web.registry import MenuEntry, register_menu, register_personal_data_pages

from .roles import IMPORT, LADDER, OWN, RANKING, RULES, STUDIO

MODULE = "教师发展"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "我的积分", "teacher_dev:my", OWN, 70),
        MenuEntry("management", MODULE, "积分排行", "teacher_dev:ranking", RANKING, 71),
        MenuEntry("management", MODULE, "积分规则", "teacher_dev:rules", RULES, 72),
        MenuEntry("management", MODULE, "积分记录导入", "teacher_dev:records", IMPORT, 73),
        MenuEntry("management", MODULE, "成长阶梯", "teacher_dev:ladder", LADDER, 74),
        MenuEntry("management", MODULE, "名师工作室", "teacher_dev:studios", STUDIO, 75),
    )
    register_personal_data_pages(
        "teacher_dev:my", "teacher_dev:teacher", "teacher_dev:statement", "teacher_dev:ranking", "teacher_dev:records"
    )
