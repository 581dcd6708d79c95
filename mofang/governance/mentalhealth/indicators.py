"""The indicators 心理健康护航 ships to the indicators core, over facts.py: 专职心理教师配备率 for
中学 (target 50%) and 小学 (target 10%), SPEC §1.9."""

from mofang.platform.indicators.catalogue import PCT, DemoTargets, ShippedIndicator, register_indicators

INDICATORS = [
    ShippedIndicator(
        "psych_teacher_secondary",
        "中学专职心理教师配备率",
        "配备至少一名专职心理教师（专任、专职，任教心理健康或岗位为心理教师，持中小学心理健康教育教师资格证书，C级及以上）的中学"
        "（初中、普通高中、完全中学、九年一贯制）占中学总数的百分比。",
        "mentalhealth.secondary_staffed",
        "mentalhealth.secondary_schools",
        PCT,
        "higher",
        "教职工信息（岗位、任教学科、用工形式、证书）",
        "目标：中学专职心理教师配备率50%",
        60,
        DemoTargets("50", "50", "50"),
    ),
    ShippedIndicator(
        "psych_teacher_primary",
        "小学专职心理教师配备率",
        "配备至少一名专职心理教师（定义同中学）的小学占小学总数的百分比。",
        "mentalhealth.primary_staffed",
        "mentalhealth.primary_schools",
        PCT,
        "higher",
        "教职工信息（岗位、任教学科、用工形式、证书）",
        "目标：小学专职心理教师配备率10%",
        61,
        DemoTargets("10", "10", "10"),
    ),
]


def register() -> None:
    register_indicators(*INDICATORS)
