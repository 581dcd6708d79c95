"""Menu entries of 教育督导 (registered from AppConfig.ready())."""

from mofang.platform.web.registry import MenuEntry, register_menu, register_public_link

MODULE = "教育督导"


def register() -> None:
    register_public_link("督导整改公示", "supervision:public", "教育督导发现问题的整改结果")
    register_menu(
        MenuEntry("management", MODULE, "督学配备", "supervision:compliance", "supervision.view_compliance", 60),
        MenuEntry("management", MODULE, "进校督查", "supervision:visit_list", "supervision.view_visit", 61),
        MenuEntry("management", MODULE, "新增督查记录", "supervision:visit_new", "supervision.record_visit", 62),
        MenuEntry("management", MODULE, "整改通知", "supervision:rectification_list",
                  "supervision.view_rectification", 63),
    )
