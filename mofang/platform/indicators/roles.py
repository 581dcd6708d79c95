"""Permissions of the indicators core, granted to the core roles."""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "indicators.view_indicator"
CHANGE_TARGET = "indicators.change_target"
IMPORT = "indicators.import_statistics"
VIEW_RULE = "indicators.view_rule"

register_permissions(
    {VIEW: "查看指标数据", CHANGE_TARGET: "设置指标目标", IMPORT: "导入统计数据", VIEW_RULE: "查看数据校验规则与违规"}
)

for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, VIEW, CHANGE_TARGET, IMPORT, VIEW_RULE)
grant("principal", VIEW, VIEW_RULE)
grant("academic", VIEW, VIEW_RULE)
