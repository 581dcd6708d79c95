"""教师时间银行 data model (SPEC §3.4).

A school opens a Bank; each member of staff has an Account there. Work records (代课, 托管) and
approved leave requests post signed LedgerEntry rows; a balance is always the sum of entries.
The ledger is append-only in the database; corrections are reversing entries.
"""

from .bank import Account, Bank, RateKind, RateSchedule
from .ledger import EntryKind, LedgerEntry
from .records import AfterSchoolDuty, LeaveKind, LeaveRequest, LeaveStatus, SubstitutionRecord
from .statements import MonthlyStatement, Publication

__all__ = [
    "Account",
    "AfterSchoolDuty",
    "Bank",
    "EntryKind",
    "LeaveKind",
    "LeaveRequest",
    "LeaveStatus",
    "LedgerEntry",
    "MonthlyStatement",
    "Publication",
    "RateKind",
    "RateSchedule",
    "SubstitutionRecord",
]
