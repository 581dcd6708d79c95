"""The time bank's permissions and which core roles hold them (imported from AppConfig.ready()).

- teachers see and act on their own account only (the "@own" grants);
- the school (校长, 教务) runs the bank: records work, approves leave, runs statements;
- the 银行专管员 (bank_auditor) reviews everything in its school and alone posts corrections;
- county/city/province administrators read their subtree and export (no changes).
"""

from mofang.platform.accounts.registry import allow_grant, grant, register_permissions, register_role

# 银行专管员: a member at a school who reviews its bank and alone posts corrections.
register_role("bank_auditor", "银行专管员", rank=50)
grant("bank_auditor", "orgs.view_org", "people.view_staff", "jobs.view_job")
allow_grant("province_admin", "bank_auditor", at=("school",))
allow_grant("city_admin", "bank_auditor", at=("school",))
allow_grant("county_admin", "bank_auditor", at=("school",))
allow_grant("principal", "bank_auditor", at=("school",))

register_permissions(
    {
        "timebank.view_bank": "查看时间银行",
        "timebank.open_bank": "开通时间银行",
        "timebank.set_rate": "设置折算标准",
        "timebank.view_account": "查看个人时间账户",
        "timebank.view_record": "查看代课与托管记录",
        "timebank.record_work": "登记代课与托管",
        "timebank.view_leave": "查看抵假申请",
        "timebank.request_leave": "申请抵假",
        "timebank.approve_leave": "审批抵假申请",
        "timebank.view_statement": "查看月度对账单",
        "timebank.run_statements": "生成月度对账单",
        "timebank.view_publication": "查看时间余额公示",
        "timebank.post_correction": "冲正时间账户分录",
        "timebank.export": "导出时间银行年终结余",
    }
)

_READ = (
    "timebank.view_bank",
    "timebank.view_account",
    "timebank.view_record",
    "timebank.view_leave",
    "timebank.view_statement",
    "timebank.view_publication",
)
_OWN = (
    "timebank.view_account@own",
    "timebank.view_record@own",
    "timebank.view_leave@own",
    "timebank.view_statement@own",
    "timebank.request_leave@own",
)

# Every member of staff may hold an account and ask for leave against it.
for _role in ("teacher", "head_teacher", "psych_teacher", "principal", "academic", "bank_auditor"):
    grant(_role, *_OWN)
for _role in ("teacher", "head_teacher", "psych_teacher"):
    grant(_role, "timebank.view_publication")

grant(
    "principal",
    *_READ,
    "timebank.open_bank",
    "timebank.set_rate",
    "timebank.record_work",
    "timebank.approve_leave",
    "timebank.run_statements",
    "timebank.export",
)
grant(
    "academic", *_READ, "timebank.record_work", "timebank.approve_leave", "timebank.run_statements", "timebank.export"
)
grant("bank_auditor", *_READ, "timebank.post_correction", "timebank.run_statements", "timebank.export")
for _admin in ("county_admin", "city_admin", "province_admin"):
    grant(_admin, *_READ, "timebank.export")
