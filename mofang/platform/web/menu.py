"""The platform's own menu entries, its phone roles and its pages with personal data."""

from mofang.platform.imports.base import IMPORTERS

from .registry import MenuEntry, register_menu, register_personal_data_pages, register_phone_roles
from .roles import VIEW_API_DOCS


def _import_permissions() -> tuple:
    """数据导入 is for whoever may run one of the importers it lists (not parents, teachers, liaisons)."""
    return tuple(sorted({i.permission for i in IMPORTERS.values() if not i.target_param}))


register_menu(
    MenuEntry("data", "主数据", "组织机构", "web:org_tree", "orgs.view_org", 10),
    MenuEntry("data", "主数据", "学生", "web:student_list", "people.view_student", 20),
    MenuEntry("data", "主数据", "教职工", "web:staff_list", "people.view_staff", 30),
    MenuEntry("data", "主数据", "数据导入", "imports:index", _import_permissions, 40),
    MenuEntry("platform", "运行监控", "审计日志", "web:audit_list", "audit.view_log", 10),
    MenuEntry("platform", "运行监控", "短信发件箱", "web:outbox", "notifications.view_outbox", 20),
    MenuEntry("platform", "运行监控", "后台任务", "jobs:list", "jobs.view_job", 30),
    MenuEntry("platform", "运行监控", "接口文档", "api-docs", VIEW_API_DOCS, 90),
)

register_phone_roles("parent", "teacher", "head_teacher", "psych_teacher")

register_personal_data_pages(
    "web:student_list",
    "web:student_detail",
    "web:student_edit",
    "web:staff_list",
    "web:staff_detail",
    "web:staff_edit",
    "web:outbox",
    "people:guardian_list",
    "people:guardian_detail",
    "people:binding_list",
    "people:roll_change",
    "accounts:user_list",
    "accounts:user_detail",
    "cases:detail",
    # the modules' pages of named people (a module may register its own beside its menu)
    "timebank:my",
    "timebank:account_list",
    "timebank:account_detail",
    "timebank:entry_list",
    "timebank:statement_list",
    "timebank:statement_detail",
    "timebank:leave_list",
    "timebank:approvals",
    "timebank:bank_accounts",
    "afterschool:roll_today",
    "afterschool:roll",
    "afterschool:course",
    "enrollment:registration_list",
    "enrollment:admitted_list",
    "enrollment:admission_list",
    "enrollment:my_registrations",
    "institutions:report",
    "supervision:rectification",
)
