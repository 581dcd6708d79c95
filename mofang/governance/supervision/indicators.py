"""The indicator 教育督导 ships to the indicators core (over facts.py): 督学配比达标率."""

from mofang.platform.indicators.catalogue import PCT, DemoTargets, ShippedIndicator, register_indicators

INDICATORS = [
    ShippedIndicator(
        "inspector_staffing_rate",
        "督学配比达标率",
        "责任督学配备符合1∶5、1∶1（学生超过1800人的学校）和专职不低于30%要求的区县占比。",
        "supervision.compliant_counties",
        "supervision.counties",
        PCT,
        "higher",
        "教育督导模块督学名册与责任区",
        "宁波市《深化新时代教育督导体制机制改革实施办法》",
        60,
        DemoTargets("100", "100", "100"),
    )
]


def register() -> None:
    register_indicators(*INDICATORS)
