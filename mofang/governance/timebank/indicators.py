"""The indicators and validation rules 教师时间银行 ships to the indicators core (over facts.py)."""

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
        "timebank_coverage",
        "时间银行教师覆盖率",
        "开通个人时间账户的专任教师数占已开设时间银行学校专任教师数的百分比（未开设时间银行的地区为暂无数据）。",
        "timebank.teachers_with_account",
        "timebank.teachers",
        PCT,
        "higher",
        "教师时间银行模块；专任教师数取自人员库（已开设时间银行的学校）",
        "常山县：教师时间银行",
        70,
        DemoTargets("80", "80", "60"),
    )
]

RULES = [
    ShippedRule(
        "timebank_accounts_within_staff",
        "时间账户教师数不超过教职工数",
        "timebank.teachers_with_account",
        "<=",
        "people.teachers",
        "school",
        "开通时间账户的教师数大于人员库中的教职工数，请核对人员库。",
    )
]


def register() -> None:
    register_indicators(*INDICATORS)
    register_rules(*RULES)
