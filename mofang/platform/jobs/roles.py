"""Permissions of the jobs core: every role that sees jobs has jobs.view_job (accounts/roles.py);
retrying a failed job (失败任务 · 重试) is the bureau's."""

from mofang.platform.accounts.registry import grant, register_permissions

RETRY = "jobs.retry_job"

register_permissions({RETRY: "重试失败的后台任务"})

for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, RETRY)
