"""The indicators 入学早知道与招生 ships to the indicators core (over facts.py)."""

from mofang.platform.indicators.catalogue import ShippedIndicator, count_of, register_indicators

INDICATORS = [
    ShippedIndicator(
        "enrollment_registrations",
        "义务教育招生报名人数",
        "统计期末（本年为今天）正在报名的招生年度的义务教育有效报名人数（不含已撤回）；未在平台招生的地区为暂无数据。",
        "enrollment.registrations",
        "",
        count_of("人"),
        "higher",
        "招生模块报名记录",
        "入学早知道",
        90,
    ),
    ShippedIndicator(
        "enrollment_seats",
        "义务教育招生计划学位数",
        "统计期末（本年为今天）正在报名的招生年度的招生计划学位数（班级数×班额）；未在平台招生的地区为暂无数据。",
        "enrollment.seats",
        "",
        count_of("个"),
        "higher",
        "招生模块招生计划",
        "入学早知道",
        91,
    ),
]


def register() -> None:
    register_indicators(*INDICATORS)
