"""综合素质评价's permissions and which core roles hold them (imported from AppConfig.ready()).

Students have no accounts: a parent enters records for their own child ("@own"), sees the 公示
of the child's class and raises objections there. Teachers (任课教师, 班主任, 校长, 教务) enter
records for the students of their subtree; the 班主任 reviews (approve / return with a reason)
and starts the class's 公示; the school (校长, 教务) resolves objections and archives the term.
Region administrators and the 督学 read the 达标率 figures of their subtree (no child's record).
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW, ENTER, REVIEW, PUBLICIZE, SETTLE, OWN, FIGURES = (
    "quality_eval.view_record",
    "quality_eval.enter_record",
    "quality_eval.review_record",
    "quality_eval.start_publicity",
    "quality_eval.settle_term",
    "quality_eval.own",
    "quality_eval.view_rates",
)

register_permissions(
    {
        VIEW: "查看学生综合素质评价记录",
        ENTER: "录入学生综合素质评价记录",
        REVIEW: "审核综合素质评价记录（班主任）",
        PUBLICIZE: "发起班级综合素质评价公示",
        SETTLE: "处理公示异议并归档学期评价",
        OWN: "家长填报孩子的综合素质评价、查看公示并提出异议",
        FIGURES: "查看运动技能与艺术特长达标率",
    }
)

for _role in ("principal", "academic", "head_teacher", "teacher"):
    grant(_role, VIEW, ENTER)
grant("head_teacher", REVIEW, PUBLICIZE)
for _role in ("principal", "academic"):
    grant(_role, PUBLICIZE, SETTLE, FIGURES)
grant("parent", f"{OWN}@own")
for _admin in ("county_admin", "city_admin", "province_admin", "inspector"):
    grant(_admin, FIGURES)
