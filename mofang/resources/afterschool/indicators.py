"""The indicators and validation rules 课后服务 ships to the indicators core, over the facts
registered in facts.py: 学生参与率 (87.5% in seed 002), 教师参与率 (94.6%) and 满意度."""

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
        "afterschool_student_rate",
        "课后服务学生参与率",
        "参加课后服务的学生数占应参加课后服务学生总数的百分比。",
        "afterschool.students_participating",
        "afterschool.students_total",
        PCT,
        "higher",
        "课后服务模块报名记录",
        "北仑区：课后服务学生参与率87.5%",
        10,
        DemoTargets("87.5", "87.5", "87.5"),
    ),
    ShippedIndicator(
        "afterschool_teacher_rate",
        "课后服务教师参与率",
        "参与课后服务的教师数占教师总数的百分比。",
        "afterschool.teachers_participating",
        "afterschool.teachers_total",
        PCT,
        "higher",
        "课后服务模块排课记录",
        "北仑区：教师参与率94.6%",
        20,
        DemoTargets("94.6", "94.6", "94.6"),
    ),
    ShippedIndicator(
        "afterschool_satisfaction",
        "课后服务满意度",
        "家长满意度调查中回答“满意”及以上的份数占有效问卷份数的百分比。",
        "afterschool.survey_satisfied",
        "afterschool.survey_responses",
        PCT,
        "higher",
        "课后服务模块满意度调查",
        "",
        30,
        DemoTargets("95", "95", "95"),
    ),
]

RULES = [
    ShippedRule(
        "afterschool_students_within_roll",
        "课后服务参与学生数不超过在校学生数",
        "afterschool.students_participating",
        "<=",
        "people.students",
        "school",
        "参与学生数大于学籍在校学生数，请核对课后服务报名名单或学籍数据。",
    ),
    ShippedRule(
        "afterschool_students_within_total",
        "课后服务参与学生数不超过应参与学生数",
        "afterschool.students_participating",
        "<=",
        "afterschool.students_total",
        "school",
        "参与学生数不应大于应参与学生数。",
    ),
    ShippedRule(
        "afterschool_teachers_within_total",
        "课后服务参与教师数不超过教师总数",
        "afterschool.teachers_participating",
        "<=",
        "afterschool.teachers_total",
        "school",
        "参与教师数不应大于教师总数。",
    ),
    ShippedRule(
        "afterschool_satisfied_within_responses",
        "满意问卷数不超过有效问卷数",
        "afterschool.survey_satisfied",
        "<=",
        "afterschool.survey_responses",
        "school",
        "请核对满意度调查数据。",
    ),
]


def register() -> None:
    register_indicators(*INDICATORS)
    register_rules(*RULES)
