"""政令一键智达 permissions and which roles hold them (imported from AppConfig.ready()).

- bureau administrators (province, city, county) send directives to the units under them, see
  their directives with every unit's 签收/填报, remind, lock and export; a higher bureau sees the
  directives its lower bureaus forwarded;
- a county administrator forwards a higher bureau's directive to its schools (转发);
- principals and 教务 sign and answer for their school, a department's liaison for the department;
  a bureau's own administrators sign and answer what is addressed to the bureau itself.
Signing and answering need a membership *at* the unit addressed (services.can_act), not above it.
"""

from mofang.platform.accounts.registry import grant, register_permissions

register_permissions(
    {
        "directives.view": "查看发出的政令",
        "directives.send": "发送政令（一键智达）",
        "directives.forward": "转发上级政令",
        "directives.view_delivery": "查看政令送达与填报",
        "directives.answer": "签收与填报（本单位）",
    }
)

for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, "directives.view", "directives.send", "directives.view_delivery")
grant("county_admin", "directives.forward")
for _unit_role in ("principal", "academic", "dept_liaison"):
    grant(_unit_role, "directives.view_delivery", "directives.answer")
