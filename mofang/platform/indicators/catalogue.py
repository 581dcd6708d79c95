"""The indicators and validation rules shipped with the platform: those the seeds name that the
platform's data (or an import) can already feed. The data migration ships them; `ship()` puts
them back after a test flushed the database."""

from decimal import Decimal

PCT = ("%", Decimal("100"))
INDICATORS = [
    # code, name, definition, numerator, denominator, (unit, factor), direction, source, seed, order
    ("afterschool_student_rate", "课后服务学生参与率", "参加课后服务的学生数占应参加课后服务学生总数的百分比。",
     "afterschool.students_participating", "afterschool.students_total", PCT, "higher",
     "课后服务模块报名记录", "北仑区：课后服务学生参与率87.5%", 10),
    ("afterschool_teacher_rate", "课后服务教师参与率", "参与课后服务的教师数占教师总数的百分比。",
     "afterschool.teachers_participating", "afterschool.teachers_total", PCT, "higher",
     "课后服务模块排课记录", "北仑区：教师参与率94.6%", 20),
    ("afterschool_satisfaction", "课后服务满意度", "家长满意度调查中回答“满意”及以上的份数占有效问卷份数的百分比。",
     "afterschool.survey_satisfied", "afterschool.survey_responses", PCT, "higher",
     "课后服务模块满意度调查", "", 30),
    ("inclusive_kg_coverage", "普惠性幼儿园招生覆盖率", "在公办幼儿园和普惠性民办幼儿园就读的幼儿数占在园幼儿总数的百分比。",
     "import.inclusive_kg_enrolled", "import.kg_enrolled", PCT, "higher",
     "统计数据导入", "宁波市：普惠性幼儿园招生覆盖率达到90.8%（幼儿园1180所，公办401所，普惠性民办582所）", 40),
    ("kindergartens", "幼儿园数", "辖区内幼儿园总数。", "import.kindergartens", "", ("所", Decimal("1")), "higher",
     "统计数据导入", "宁波市：全市共有幼儿园1180所", 41),
    ("inclusive_kindergartens", "普惠性幼儿园数", "公办幼儿园与普惠性民办幼儿园数之和。",
     "import.inclusive_kindergartens", "", ("所", Decimal("1")), "higher",
     "统计数据导入", "宁波市：公办幼儿园401所，普惠性民办园582所", 42),
    ("smart_campus_coverage", "智慧校园覆盖率", "评定为智慧校园（达标校及以上）的中小学校数占中小学校总数的百分比。",
     "import.smart_campus_schools", "orgs.k12_schools", PCT, "higher",
     "智慧校园评定结果导入；学校数取自组织机构", "丽水市：智慧校园覆盖率超过50%，目标达到75%", 50),
    ("inspector_staffing_rate", "督学配比达标率", "责任督学配备符合1∶5、1∶1（学生超过1800人的学校）和专职不低于30%要求的区县占比。",
     "supervision.compliant_counties", "supervision.counties", PCT, "higher",
     "教育督导模块督学名册与责任区", "宁波市《深化新时代教育督导体制机制改革实施办法》", 60),
    ("timebank_coverage", "时间银行教师覆盖率", "开通个人时间账户的教师数占学校教职工数的百分比。",
     "timebank.teachers_with_account", "people.teachers", PCT, "higher",
     "教师时间银行模块；教职工数取自人员库", "常山县：教师时间银行", 70),
    ("open_hazards", "校园安全隐患未办结数", "已上报、尚未办结的校园及周边安全隐患数。",
     "campus_safety.open_hazards", "", ("件", Decimal("1")), "lower",
     "校园安全模块隐患闭环", "校园及周边安全防控一件事", 80),
    ("overdue_hazards", "超期未办结隐患数", "超过办理期限仍未办结的校园安全隐患数。",
     "campus_safety.overdue_hazards", "", ("件", Decimal("1")), "lower",
     "校园安全模块隐患闭环", "校园及周边安全防控一件事", 81),
    ("enrollment_registrations", "义务教育招生报名人数", "当年义务教育招生有效报名人数（不含已撤回）。",
     "enrollment.registrations", "", ("人", Decimal("1")), "higher", "招生模块报名记录", "入学早知道", 90),
    ("enrollment_seats", "义务教育招生计划学位数", "当年招生计划的学位数（班级数×班额）。",
     "enrollment.seats", "", ("个", Decimal("1")), "higher", "招生模块招生计划", "入学早知道", 91),
    ("students", "在校学生数", "学籍在校的学生数。", "people.students", "", ("人", Decimal("1")), "higher",
     "人员库学籍", "", 100),
]

RULES = [
    # code, name, left, op, right, org_kind, instruction
    ("afterschool_students_within_roll", "课后服务参与学生数不超过在校学生数",
     "afterschool.students_participating", "<=", "people.students", "school",
     "参与学生数大于学籍在校学生数，请核对课后服务报名名单或学籍数据。"),
    ("afterschool_students_within_total", "课后服务参与学生数不超过应参与学生数",
     "afterschool.students_participating", "<=", "afterschool.students_total", "school",
     "参与学生数不应大于应参与学生数。"),
    ("afterschool_teachers_within_total", "课后服务参与教师数不超过教师总数",
     "afterschool.teachers_participating", "<=", "afterschool.teachers_total", "school",
     "参与教师数不应大于教师总数。"),
    ("afterschool_satisfied_within_responses", "满意问卷数不超过有效问卷数",
     "afterschool.survey_satisfied", "<=", "afterschool.survey_responses", "school", "请核对满意度调查数据。"),
    ("timebank_accounts_within_staff", "时间账户教师数不超过教职工数",
     "timebank.teachers_with_account", "<=", "people.teachers", "school",
     "开通时间账户的教师数大于人员库中的教职工数，请核对人员库。"),
    ("inclusive_kg_within_total", "普惠性幼儿园在园幼儿数不超过在园幼儿总数",
     "import.inclusive_kg_enrolled", "<=", "import.kg_enrolled", "", "请核对导入的学前教育统计数据。"),
    ("smart_campus_within_schools", "智慧校园数不超过中小学校数",
     "import.smart_campus_schools", "<=", "orgs.k12_schools", "", "智慧校园评定结果中的学校数超过了中小学校数。"),
]


def ship(indicator_model=None, rule_model=None) -> None:
    """Create or update the shipped rows (models passed in by the migration, else the current ones)."""
    if indicator_model is None:
        from .models import Indicator as indicator_model
        from .models import ValidationRule as rule_model
    for code, name, definition, num, den, (unit, factor), direction, source, seed_note, order in INDICATORS:
        indicator_model.objects.update_or_create(code=code, defaults=dict(
            name=name, definition=definition, numerator=num, denominator=den, unit=unit, factor=factor,
            decimals=1 if unit == "%" else 0, direction=direction, period_type="year", source_note=source,
            seed_note=seed_note, order=order))
    for code, name, left, op, right, kind, instruction in RULES:
        rule_model.objects.update_or_create(code=code, defaults=dict(
            name=name, left=left, operator=op, right=right, org_kind=kind, instruction=instruction))
