"""校外培训机构监管 permissions and which core roles hold them (imported from AppConfig.ready()).

- County administrators (校外培训监管) keep the registry, the black and white lists, the
  classified-approval routing table, inspections and 暗访, rectification, the public reports
  (有奖举报, with rewards) and pre-paid fee supervision; they approve subject-category
  applications (the education bureau's own).
- A department's liaison (dept_liaison at 科技局 / 文旅局 / 体育局) handles the applications
  routed to the department.
- City and province administrators view everything in their region.
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "institutions.view_institution"
MANAGE = "institutions.manage_institution"
MANAGE_LISTS = "institutions.manage_lists"
MANAGE_ROUTES = "institutions.manage_routes"
VIEW_APPLICATION = "institutions.view_application"
SUBMIT_APPLICATION = "institutions.submit_application"
DECIDE = "institutions.decide_application"
INSPECT = "institutions.inspect"
HANDLE_REPORT = "institutions.handle_report"
VIEW_FEES = "institutions.view_fees"
MANAGE_FEES = "institutions.manage_fees"

register_permissions(
    {
        VIEW: "查看校外培训机构",
        MANAGE: "登记与维护校外培训机构",
        MANAGE_LISTS: "发布培训机构黑白名单",
        MANAGE_ROUTES: "维护培训机构分类审批规则",
        VIEW_APPLICATION: "查看培训机构办学审批",
        SUBMIT_APPLICATION: "提交培训机构办学审批",
        DECIDE: "受理与审批培训机构办学申请",
        INSPECT: "检查、暗访培训机构与整改验收",
        HANDLE_REPORT: "办理培训机构有奖举报",
        VIEW_FEES: "查看培训机构预收费监管",
        MANAGE_FEES: "登记预收费监管账户、收费与上限",
    }
)

_ADMINS = ("county_admin", "city_admin", "province_admin")
for _role in _ADMINS:
    grant(_role, VIEW, VIEW_APPLICATION, VIEW_FEES)
grant(
    "county_admin", MANAGE, MANAGE_LISTS, MANAGE_ROUTES, SUBMIT_APPLICATION, DECIDE, INSPECT, HANDLE_REPORT, MANAGE_FEES
)
grant("dept_liaison", VIEW_APPLICATION, DECIDE)
