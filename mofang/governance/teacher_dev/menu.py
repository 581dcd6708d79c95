"""Menu entries of 教师发展 (registered from AppConfig.ready()).

Three entries only: 我的积分 (every member of staff), 积分排行 (school and above; its page links to
the rules, the imported records, the ladder and the studios), 成长阶梯 (teachers, who apply). A
county officer's menu is long already: the module adds one entry to it."""

from mofang.platform.web.registry import MenuEntry, register_menu, register_personal_data_pages

from .roles import APPLY, OWN, RANKING

MODULE = "教师发展"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "我的积分", "teacher_dev:my", OWN, 70),
        MenuEntry("management", MODULE, "积分排行", "teacher_dev:ranking", RANKING, 71),
        MenuEntry("management", MODULE, "成长阶梯", "teacher_dev:ladder", APPLY, 72),
    )
    register_personal_data_pages(
        "teacher_dev:my", "teacher_dev:teacher", "teacher_dev:statement", "teacher_dev:ranking", "teacher_dev:records"
    )
