"""视力健康's permissions and which core roles hold them (imported from AppConfig.ready()).

There is no 校医 role: the school (校长, 教务; they also import a file of results) and a
class's 班主任 record results (the 班主任 for
the class their membership is on — the scope layer limits them to it); the same read the
results and the school's 近视率. County/city/province administrators and the 督学 read the
figures of their subtree (近视率 by school and grade, no child's record). A parent reads their
own children's screenings ("@own").
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW, RECORD, IMPORT, FIGURES, OWN = (
    "vision.view_screening",
    "vision.record_screening",
    "vision.import_screening",
    "vision.view_rates",
    "vision.view_own",
)

register_permissions(
    {
        VIEW: "查看学生视力筛查结果",
        RECORD: "录入视力筛查结果（按班级）",
        IMPORT: "导入视力筛查结果（数据导入）",
        FIGURES: "查看近视率与目标",
        OWN: "家长查看孩子的视力筛查记录",
    }
)

for _role in ("principal", "academic", "head_teacher"):
    grant(_role, VIEW, RECORD, FIGURES)
# the school's file of results goes through 数据导入, a page of the school office, not of the
# front line (a 班主任 enters the class on the form)
for _role in ("principal", "academic"):
    grant(_role, IMPORT)
grant("parent", f"{OWN}@own")
for _admin in ("county_admin", "city_admin", "province_admin", "inspector"):
    grant(_admin, FIGURES)
