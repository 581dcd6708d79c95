"""The core roles of the platform (SPEC §1.3) and the core permissions.

A module's own roles are declared by the module (督学 by 教育督导, 银行专管员 by 时间银行,
公证员 by 入学早知道), with their grant rules, in its roles.py."""

from .registry import ROLES, allow_grant, grant, register_permissions, register_role

register_permissions(
    {
        "orgs.view_org": "查看组织机构",
        "orgs.change_org": "维护组织机构",
        "people.view_student": "查看学生",
        "people.change_student": "维护学生",
        "people.import_student": "导入学生",
        "people.view_staff": "查看教职工",
        "people.change_staff": "维护教职工",
        "people.import_staff": "导入教职工",
        "people.view_guardian": "查看家长",
        "people.view_sensitive": "查看完整身份证号与手机号",
        "audit.view_log": "查询审计日志",
        "notifications.view_outbox": "查看短信发件箱",
        "jobs.view_job": "查看后台任务",
        "accounts.view_user": "查看账号",
        "accounts.change_user": "管理账号与任职（新建、停用、重置密码、解锁、授予角色）",
    }
)

_BUREAU = ("orgs.view_org", "people.view_student", "people.view_staff", "people.view_guardian", "jobs.view_job")

register_role("province_admin", "省级管理员", second_factor=True, rank=10)
register_role("city_admin", "市级管理员", second_factor=True, rank=20)
register_role("county_admin", "区县管理员", rank=30)
register_role("principal", "校长", rank=40)
register_role("academic", "教务", rank=45)
register_role("head_teacher", "班主任", rank=55)
register_role("psych_teacher", "心理教师", rank=58)
register_role("teacher", "教师", rank=60)
register_role("dept_liaison", "部门联络员", rank=70)
register_role("parent", "家长", rank=80)

for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(
        _admin,
        *_BUREAU,
        "orgs.change_org",
        "people.change_student",
        "people.import_student",
        "people.change_staff",
        "people.import_staff",
        "audit.view_log",
        "notifications.view_outbox",
    )
grant("province_admin", "people.view_sensitive")
grant(
    "principal",
    *_BUREAU,
    "people.change_student",
    "people.change_staff",
    "people.import_student",
    "people.import_staff",
    "audit.view_log",
)
grant("academic", *_BUREAU, "people.change_student", "people.import_student", "people.view_sensitive")
grant("head_teacher", "orgs.view_org", "people.view_student", "people.view_guardian")
grant("psych_teacher", "orgs.view_org", "people.view_student")
grant("teacher", "orgs.view_org")
grant("dept_liaison", "orgs.view_org")
grant("parent", "people.view_student@own")
for _manager in ("province_admin", "city_admin", "county_admin", "principal"):
    grant(_manager, "accounts.view_user", "accounts.change_user")

# The grant table (账号与权限管理): each level manages the levels below it, never its own or above,
# and each role only at the kind of unit where it makes sense. 班主任 is granted at a class, which
# the school (校长) knows best; bureau administrators may grant it too.
_SCHOOL_ROLES = ("principal", "academic", "psych_teacher", "teacher")
_COUNTY_MANAGES = {
    "dept_liaison": ("department",),
    **dict.fromkeys(_SCHOOL_ROLES, ("school",)),
    "head_teacher": ("class",),
}
for _granter in ("province_admin", "city_admin", "county_admin"):
    for _role, _kinds in _COUNTY_MANAGES.items():
        allow_grant(_granter, _role, at=_kinds)
allow_grant("province_admin", "city_admin", at=("city",))
allow_grant("province_admin", "county_admin", at=("county",))
allow_grant("city_admin", "county_admin", at=("county",))
allow_grant("principal", "academic", "psych_teacher", "teacher", at=("school",))
allow_grant("principal", "head_teacher", at=("class",))


def sync_roles(**kwargs):
    """Keep the Role rows in step with the roles declared in code (run after migrate)."""
    from .models import Role

    for spec in ROLES.values():
        Role.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "permissions": sorted(spec.permissions),
                "second_factor": spec.second_factor,
                "rank": spec.rank,
            },
        )
