"""教师发展's permissions and which core roles hold them (imported from AppConfig.ready()).

A teacher reads their own points, statement, ladder applications ("@own") and applies for a
level; the school (校长, 教务) reads its teachers' points and ranking, imports the records and
recommends applications; the county reads the county's points and ranking, sets the county's
rules, recognises levels and sets up 名师工作室; city and province read their subtree.
"""

from mofang.platform.accounts.registry import grant, register_permissions

OWN, POINTS, RANKING, IMPORT, RULES = (
    "teacher_dev.view_own_points",
    "teacher_dev.view_points",
    "teacher_dev.view_ranking",
    "teacher_dev.import_records",
    "teacher_dev.manage_rules",
)
LADDER, APPLY, RECOMMEND, RECOGNIZE = (
    "teacher_dev.view_ladder",
    "teacher_dev.apply_ladder",
    "teacher_dev.recommend_ladder",
    "teacher_dev.recognize_ladder",
)
STUDIO, MANAGE_STUDIO = ("teacher_dev.view_studio", "teacher_dev.manage_studio")

register_permissions(
    {
        OWN: "查看本人积分",
        POINTS: "查看教师积分",
        RANKING: "查看教师积分排行",
        IMPORT: "导入教师积分记录（数据导入）",
        RULES: "设置本县教师积分规则",
        LADDER: "查看成长阶梯申报与认定",
        APPLY: "申报成长阶梯层级",
        RECOMMEND: "学校推荐成长阶梯申报",
        RECOGNIZE: "认定成长阶梯层级",
        STUDIO: "查看名师工作室",
        MANAGE_STUDIO: "设立与管理名师工作室",
    }
)

for _role in ("teacher", "head_teacher", "psych_teacher", "principal", "academic"):
    grant(_role, f"{OWN}@own", f"{POINTS}@own", f"{LADDER}@own", f"{APPLY}@own", STUDIO)
for _role in ("principal", "academic"):
    grant(_role, POINTS, RANKING, IMPORT, LADDER, RECOMMEND)
grant("county_admin", POINTS, RANKING, RULES, LADDER, RECOGNIZE, STUDIO, MANAGE_STUDIO)
for _admin in ("city_admin", "province_admin"):
    grant(_admin, POINTS, RANKING, LADDER, STUDIO)
