"""The indicators 综合素质评价 ships: 运动技能达标率 and 艺术特长达标率 (facts in facts.py)."""

from mofang.platform.indicators.catalogue import PCT, ShippedIndicator, ShippedRule, register_indicators, register_rules

INDICATORS = [
    ShippedIndicator(
        "quality_sports_skill_rate",
        "运动技能达标率",
        "学年内至少有一条审核通过（或已归档）的“运动技能”类体育记录的学生数，占该学年参加综合素质评价"
        "（有未撤销记录）的学生数的百分比。达标口径为本平台定义，见综合素质评价模块说明。",
        "quality_eval.sports_skilled",
        "quality_eval.evaluated",
        PCT,
        "higher",
        "综合素质评价模块记录",
        "每名学生掌握1项以上运动技能",
        42,
    ),
    ShippedIndicator(
        "quality_art_skill_rate",
        "艺术特长达标率",
        "学年内至少有一条审核通过（或已归档）的“艺术特长”类美育记录的学生数，占该学年参加综合素质评价"
        "（有未撤销记录）的学生数的百分比。达标口径为本平台定义，见综合素质评价模块说明。",
        "quality_eval.art_skilled",
        "quality_eval.evaluated",
        PCT,
        "higher",
        "综合素质评价模块记录",
        "每名学生掌握1项以上艺术特长",
        43,
    ),
]

RULES = [
    ShippedRule(
        "quality_skilled_within_evaluated",
        "运动技能达标人数不超过参评人数",
        "quality_eval.sports_skilled",
        "<=",
        "quality_eval.evaluated",
        "school",
        "运动技能达标人数大于参评人数，请核对综合素质评价记录。",
    )
]


def register() -> None:
    register_indicators(*INDICATORS)
    register_rules(*RULES)
