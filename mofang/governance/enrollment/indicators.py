"""The indicators 入学早知道与招生 ships to the indicators core (over facts.py)."""

from mofang.platform.indicators.catalogue import ShippedIndicator, count_of, register_indicators

INDICATORS = [
    ShippedIndicator(
        "enrollment_registrations",
        "义务教育招生报名人数",
        "当年义务教育招生有效报名人数（不含已撤回）。",
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
        "当年招生计划的学位数（班级数×班额）。",
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
