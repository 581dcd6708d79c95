"""课后服务's permissions and which core roles hold them (imported from AppConfig.ready()).

- the school (校长, 教务) publishes courses, sets the selection window, runs the lottery, takes any
  roll call and sees the school's figures;
- a teacher takes roll call for the courses they teach ("@own");
- a parent selects, withdraws and answers the survey for their own children ("@own");
- county/city/province administrators (and the 督学) read courses and figures in their subtree.
"""

from mofang.platform.accounts.registry import grant, register_permissions

register_permissions(
    {
        "afterschool.view": "查看课后服务课程与选课",
        "afterschool.manage": "管理课后服务课程与选课",
        "afterschool.take_roll": "课后服务点名",
        "afterschool.select": "为孩子选课与填写满意度问卷",
        "afterschool.view_indicators": "查看课后服务参与率与满意度",
    }
)

_READ = ("afterschool.view", "afterschool.view_indicators")

grant("principal", *_READ, "afterschool.manage", "afterschool.take_roll")
grant("academic", *_READ, "afterschool.manage", "afterschool.take_roll")
for _role in ("teacher", "head_teacher", "psych_teacher"):
    grant(_role, "afterschool.take_roll@own")
grant("parent", "afterschool.select@own")
for _admin in ("county_admin", "city_admin", "province_admin", "inspector"):
    grant(_admin, *_READ)
