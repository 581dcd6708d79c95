"""Every change to the time bank goes through these functions (acting_user=, one transaction,
an explicit audit row, notifications written in the same transaction)."""

from .bank import current_rates, ensure_accounts, open_accounts, open_bank, rate_on, set_rate
from .common import available_balance, balance_of, month_bounds, previous_month
from .corrections import post_correction
from .exports import export_year_end, year_end_rows
from .leave import approve_leave, cancel_leave, reject_leave, request_leave
from .statements import (
    MONTHLY_STATEMENTS,
    generate_all_monthly_statements,
    generate_monthly_statements,
    start_statements_job,
)
from .work import AFTERSCHOOL, SUBSTITUTION, WorkItem, post_work, record_afterschool_duty, record_substitution

__all__ = [
    "AFTERSCHOOL",
    "MONTHLY_STATEMENTS",
    "SUBSTITUTION",
    "WorkItem",
    "approve_leave",
    "available_balance",
    "balance_of",
    "cancel_leave",
    "current_rates",
    "ensure_accounts",
    "export_year_end",
    "generate_all_monthly_statements",
    "generate_monthly_statements",
    "month_bounds",
    "open_accounts",
    "open_bank",
    "post_correction",
    "post_work",
    "previous_month",
    "rate_on",
    "record_afterschool_duty",
    "record_substitution",
    "reject_leave",
    "request_leave",
    "set_rate",
    "start_statements_job",
    "year_end_rows",
]
