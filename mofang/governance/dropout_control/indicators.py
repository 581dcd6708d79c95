"""The indicators 控辍保学 ships to the indicators core (over facts.py): 义务教育入学率 and 辍学人数."""

from mofang.platform.indicators.catalogue import PCT, ShippedIndicator, count_of, register_indicators

INDICATORS = [
    ShippedIndicator(
        "dropout_enrolment_rate",
        "义务教育入学率",
        "户籍名册中义务教育适龄儿童（当年8月31日满6周岁起的九个年龄段）在校人数（在读、休学未逾期、已毕业）"
        "占名册适龄儿童数的百分比；按各区县统计期末前最近一次导入的名册与当前学籍比对；未导入名册的地区为暂无数据。",
        "dropout_control.in_school",
        "dropout_control.register_children",
        PCT,
        "higher",
        "控辍保学模块名册比对",
        "控辍保学：确保义务教育适龄儿童不失学辍学",
        95,
    ),
    ShippedIndicator(
        "dropout_count",
        "辍学人数",
        "户籍名册中义务教育适龄儿童学籍状态为辍学或休学逾期（超过一年）未复学的人数；未导入名册的地区为暂无数据。",
        "dropout_control.dropouts",
        "",
        count_of("人"),
        "lower",
        "控辍保学模块名册比对",
        "控辍保学",
        96,
    ),
]


def register() -> None:
    register_indicators(*INDICATORS)
