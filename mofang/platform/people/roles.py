"""Permissions over guardians, parents' binding requests and year-end promotion, granted to the core roles.

A 班主任 holds them on the class (its own children's guardians), 教务 and 校长 on the school.
A parent binds children for itself only (@own).
"""

from mofang.platform.accounts.registry import grant, register_permissions

CHANGE_GUARDIAN = "people.change_guardian"
IMPORT_GUARDIAN = "people.import_guardian"
CONFIRM_BINDING = "people.confirm_binding"
BIND_CHILD = "people.bind_child"
PROMOTE_STUDENTS = "people.promote_students"

register_permissions(
    {
        CHANGE_GUARDIAN: "维护家长",
        IMPORT_GUARDIAN: "导入家长",
        CONFIRM_BINDING: "确认家长绑定孩子",
        BIND_CHILD: "绑定孩子（家长）",
        PROMOTE_STUDENTS: "学年升级（升级与毕业）",
    }
)

for _admin in ("province_admin", "city_admin", "county_admin"):
    # year-end promotion is a bureau decision over a whole region, never a school's
    grant(_admin, IMPORT_GUARDIAN, PROMOTE_STUDENTS)
grant("principal", CHANGE_GUARDIAN, IMPORT_GUARDIAN)
grant("academic", CHANGE_GUARDIAN, IMPORT_GUARDIAN, CONFIRM_BINDING)
grant("head_teacher", CHANGE_GUARDIAN, CONFIRM_BINDING)
grant("parent", f"{BIND_CHILD}@own")
