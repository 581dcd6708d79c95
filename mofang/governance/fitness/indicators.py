"""The indicators 体质健康 ships to the indicators core, over the facts in facts.py:
体质健康合格率 (96.42%) and 优良率 (52.67%), the figures of seed 003 (SPEC §1.9)."""

from mofang.platform.indicators.catalogue import (
    PCT,
    DemoTargets,
    ShippedIndicator,
    ShippedRule,
    register_indicators,
    register_rules,
)

INDICATORS = [
    ShippedIndicator(
        "fitness_pass_rate",
        "体质健康合格率",
        "《国家学生体质健康标准》学年总分60分及以上的学生数占有学年总分学生数的百分比。",
        "fitness.passed",
        "fitness.tested",
        PCT,
        "higher",
        "体质健康模块测试成绩",
        "体质健康合格率96.42%",
        40,
        DemoTargets("96.42", "96.42", "96.42"),
    ),
    ShippedIndicator(
        "fitness_good_rate",
        "体质健康优良率",
        "《国家学生体质健康标准》学年总分80分及以上（良好、优秀）的学生数占有学年总分学生数的百分比。",
        "fitness.good",
        "fitness.tested",
        PCT,
        "higher",
        "体质健康模块测试成绩",
        "体质健康优良率52.67%",
        41,
        DemoTargets("52.67", "52.67", "52.67"),
    ),
]

RULES = [
    ShippedRule(
        "fitness_tested_within_roll",
        "体质健康测试人数不超过在校学生数",
        "fitness.tested",
        "<=",
        "people.students",
        "school",
        "测试人数大于学籍在校学生数，请核对导入的体测成绩或学籍数据。",
    ),
    ShippedRule(
        "fitness_good_within_passed",
        "优良人数不超过合格人数",
        "fitness.good",
        "<=",
        "fitness.passed",
        "school",
        "优良人数不应大于合格人数，请核对体测成绩。",
    ),
]


def register() -> None:
    register_indicators(*INDICATORS)
    register_rules(*RULES)
