"""校园安全 permissions and which core roles hold them (imported from AppConfig.ready()).

- A school's 护校安园 work group is its principal and 教务: they report hazards, confirm or send
  back the department's result, ask for 回头看, keep the school's safety profile and tick 一校一单.
- A department's 部门联络员 (dept_liaison at the department node) works the department's queue:
  claims, handles, reports the result, 一键上报 / 转四平台, and records 服务指导 visits.
- County administrators keep the county's routing table (分派规则), see everything in the
  county, and work the county's own queue (待分派 cases and cases escalated from departments);
  city administrators take what counties escalate; province administrators watch.
- A public report (Open311, a city's 12345 hotline) is filed at its county: there is no school to
  confirm it, so county administrators close it after the call-back (回访销号).
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "campus_safety.view_hazard"
REPORT = "campus_safety.report_hazard"
CONFIRM = "campus_safety.confirm_hazard"
HANDLE = "campus_safety.handle_hazard"
MANAGE_ROUTES = "campus_safety.manage_routes"
CLOSE_PUBLIC = "campus_safety.close_public_hazard"
VIEW_CHECKLIST = "campus_safety.view_checklist"
TICK_CHECKLIST = "campus_safety.tick_checklist"
VIEW_VISIT = "campus_safety.view_visit"
RECORD_VISIT = "campus_safety.record_visit"

register_permissions(
    {
        VIEW: "查看校园及周边安全隐患",
        REPORT: "上报校园及周边安全隐患（护校安园工作组）",
        CONFIRM: "确认、退回隐患处置结果与回头看",
        HANDLE: "认领与处置校园安全任务包",
        MANAGE_ROUTES: "维护校园安全分派规则",
        CLOSE_PUBLIC: "公众（12345）报事回访销号",
        VIEW_CHECKLIST: "查看一校一单",
        TICK_CHECKLIST: "填报一校一单与学校安全档案",
        VIEW_VISIT: "查看服务指导记录",
        RECORD_VISIT: "登记服务指导",
    }
)

_ADMINS = ("county_admin", "city_admin", "province_admin")
for _role in (*_ADMINS, "principal", "academic", "dept_liaison"):
    grant(_role, VIEW, VIEW_VISIT)
for _role in ("principal", "academic"):
    grant(_role, REPORT, CONFIRM, VIEW_CHECKLIST, TICK_CHECKLIST)
for _role in _ADMINS:
    grant(_role, VIEW_CHECKLIST)
grant("dept_liaison", HANDLE, RECORD_VISIT)
grant("county_admin", HANDLE, MANAGE_ROUTES, CLOSE_PUBLIC)
grant("city_admin", HANDLE)
