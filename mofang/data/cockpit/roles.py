"""教育智治一张图 permissions and which core roles hold them (imported from AppConfig.ready()).

The cockpit is for those who watch a region: province, city and county administrators and the
county's 督学. What they see is their subtree (the map's root is the org unit of their grant).
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "cockpit.view"

register_permissions({VIEW: "查看教育智治一张图（驾驶舱）"})

for _role in ("province_admin", "city_admin", "county_admin", "inspector"):
    grant(_role, VIEW)
