"""体质健康's permissions and which core roles hold them (imported from AppConfig.ready()).

- the school (校长, 教务) imports the test equipment's file, enters results, sees every result of
  the school and its rates;
- a 班主任 (membership on the class) enters and sees the results of that class;
- a plain 教师 gets nothing: a school's PE teachers who run the test act as 教务 or 班主任 here —
  a music teacher has no business with the children's weights;
- a parent sees their own children's reports ("@own");
- county/city/province administrators and the 督学 see 合格率/优良率 only, never a child's result.
"""

from mofang.platform.accounts.registry import grant, register_permissions

register_permissions(
    {
        "fitness.view": "查看学生体质健康测试成绩与报告",
        "fitness.enter": "录入学生体质健康测试成绩",
        "fitness.import_result": "导入学生体质健康测试成绩",
        "fitness.view_rates": "查看体质健康合格率与优良率",
        "fitness.view_child": "查看孩子的体质健康报告",
    }
)

for _school_role in ("principal", "academic"):
    grant(_school_role, "fitness.view", "fitness.enter", "fitness.import_result", "fitness.view_rates")
grant("head_teacher", "fitness.view", "fitness.enter", "fitness.view_rates")
grant("parent", "fitness.view_child@own")
for _admin in ("county_admin", "city_admin", "province_admin", "inspector"):
    grant(_admin, "fitness.view_rates")
