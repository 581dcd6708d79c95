"""清单管理 permissions and which roles hold them (imported from AppConfig.ready()).

- a region's administrators (county/city/province) own their region's lists: they see them and
  every item under them, create lists and import items (manage), and may report for a lead unit
  of their region;
- a lead unit's members report progress on its items: a principal for a school, a dept_liaison
  for a department, a county administrator for a county;
- a cooperating unit's members see the items they cooperate on (view_item).
Items are scoped by the list's owner region, the lead unit and the cooperating units.
"""

from mofang.platform.accounts.registry import grant, register_permissions

register_permissions(
    {
        "workplans.view_plan": "查看工作清单",
        "workplans.manage": "维护工作清单（新建、导入）",
        "workplans.view_item": "查看清单事项",
        "workplans.report": "报送清单事项进展",
    }
)

for _admin in ("county_admin", "city_admin", "province_admin"):
    grant(_admin, "workplans.view_plan", "workplans.manage", "workplans.view_item", "workplans.report")
for _member in ("principal", "dept_liaison"):
    grant(_member, "workplans.view_item", "workplans.report")
