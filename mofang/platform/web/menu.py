from .registry import MenuEntry, register_menu

register_menu(
    MenuEntry("data", "主数据", "组织机构", "web:org_tree", "orgs.view_org", 10),
    MenuEntry("data", "主数据", "学生", "web:student_list", "people.view_student", 20),
    MenuEntry("data", "主数据", "教职工", "web:staff_list", "people.view_staff", 30),
    MenuEntry("data", "主数据", "数据导入", "imports:index", None, 40),
    MenuEntry("platform", "平台", "审计日志", "web:audit_list", "audit.view_log", 10),
    MenuEntry("platform", "平台", "短信发件箱", "web:outbox", "notifications.view_outbox", 20),
    MenuEntry("platform", "平台", "后台任务", "jobs:list", None, 30),
    MenuEntry("platform", "平台", "接口文档", "api-docs", None, 90),
)
