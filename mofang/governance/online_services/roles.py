"""一网通办 permissions and which core roles hold them (imported from AppConfig.ready()).

- Parents apply for their own children (guardianship is checked by the service functions) and see
  their own applications (`@own`: the case's reporter, the application's applicant).
- A school's principal and 教务 handle the applications the school is responsible for (受理, 审核,
  同意转出, 接收); county administrators handle the bureau's steps of a cross-county transfer and
  see every application of the county; city and province administrators view and keep the
  catalogue.
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "online_services.view_application"
APPLY = "online_services.apply"
HANDLE = "online_services.handle"
MANAGE_CATALOGUE = "online_services.manage_catalogue"

register_permissions(
    {
        VIEW: "查看一网通办申请",
        APPLY: "申请一网通办事项",
        HANDLE: "受理与审核一网通办申请",
        MANAGE_CATALOGUE: "维护一网通办事项目录",
    }
)

grant("parent", f"{VIEW}@own", APPLY)
for _role in ("principal", "academic", "county_admin"):
    grant(_role, VIEW, HANDLE)
for _role in ("city_admin", "province_admin"):
    grant(_role, VIEW, MANAGE_CATALOGUE)
