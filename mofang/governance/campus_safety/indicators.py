"""The indicators 校园安全 ships to the indicators core (over facts.py): open and overdue hazards."""

from mofang.platform.indicators.catalogue import DemoTargets, ShippedIndicator, count_of, register_indicators

INDICATORS = [
    ShippedIndicator(
        "open_hazards",
        "校园安全隐患未办结数",
        "已上报、尚未办结的校园及周边安全隐患数。",
        "campus_safety.open_hazards",
        "",
        count_of("件"),
        "lower",
        "校园安全模块隐患闭环",
        "校园及周边安全防控一件事",
        80,
        DemoTargets(None, "5", "3"),
    ),
    ShippedIndicator(
        "overdue_hazards",
        "超期未办结隐患数",
        "超过办理期限仍未办结的校园安全隐患数。",
        "campus_safety.overdue_hazards",
        "",
        count_of("件"),
        "lower",
        "校园安全模块隐患闭环",
        "校园及周边安全防控一件事",
        81,
        DemoTargets("0", "0", "0"),
    ),
]


def register() -> None:
    register_indicators(*INDICATORS)
