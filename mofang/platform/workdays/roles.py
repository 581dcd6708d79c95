"""Permissions of the working-day calendar, granted to the core roles."""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "workdays.view_calendar"
CHANGE = "workdays.change_day"

register_permissions({VIEW: "查看工作日历", CHANGE: "维护本地放假与调休日"})

for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, VIEW)
# the province and the cities set their region's own days (a county's local holiday is entered by its city)
grant("province_admin", CHANGE)
grant("city_admin", CHANGE)
