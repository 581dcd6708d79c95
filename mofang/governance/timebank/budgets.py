"""Query budgets of the time bank's lists, API and menu pages (see mofang/platform/budgets.py)."""

import datetime as dt

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_staff, make_user

from . import services
from .models import Account, Publication
from .services.bank import school_year_start
from .services.common import month_key, today

COVERS = (
    "timebank:bank_list",
    "timebank:bank_accounts",
    "timebank:account_list",
    "timebank:entry_list",
    "timebank:substitution_list",
    "timebank:duty_list",
    "timebank:leave_list",
    "timebank:statement_list",
    "timebank:publication_list",
    "timebank:approvals",
    "timebank:my",
    "timebank:bank_detail",
    "timebank:publication_detail",
    "timebank-account-list",
    "timebank-entry-list",
    "timebank-statement-list",
    "timebank-leave-list",
)


def scene(tree, n: int) -> Scene:
    """One bank at tree.school with n teachers, each with a substitution (covering a colleague),
    an after-school duty, a pending leave request and last month's statement; n further schools
    with a bank and a publication each; the county's administrator sees them all, the principal
    approves (and opens the bank's page) and one teacher reads their own account of n entries."""
    last_month = (today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    started = school_year_start(last_month)
    bank = services.open_bank(tree.school, started_on=started, acting_user=None)
    me = make_staff(tree.school, "预算本人", user=make_user("budget_tb_me", "teacher", tree.school))
    absent = make_staff(tree.school, "预算缺课教师")
    for i in range(n):
        staff = make_staff(tree.school, f"预算教师{i}")
        day = last_month.replace(day=1 + i)
        services.record_substitution(bank, staff, date=day, periods=4, absent=absent, acting_user=None)
        services.record_afterschool_duty(bank, staff, date=day, periods=2, acting_user=None)
        services.record_substitution(bank, me, date=day, periods=1, acting_user=None)
        account = Account.objects.get(bank=bank, staff=staff)
        services.request_leave(account, kind="leave", date=today(), hours=1, reason=f"预算请假{i}", acting_user=None)
    services.generate_monthly_statements(bank, month_key(last_month), acting_user=None)
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082292{i:02d}", school_type="primary")
        other = services.open_bank(school, started_on=started, acting_user=None)
        services.record_substitution(
            other, make_staff(school, f"预算外校教师{i}"), date=last_month, periods=2, acting_user=None
        )
        services.generate_monthly_statements(other, month_key(last_month), acting_user=None)
    principal = make_user("budget_tb_principal", "principal", tree.school)
    publication = Publication.objects.get(bank=bank, month=month_key(last_month))
    return Scene(
        user=make_user("budget_tb_county", "county_admin", tree.county),
        urls={
            "timebank:bank_accounts": f"/timebank/banks/{bank.pk}/accounts/",
            "timebank:bank_detail": f"/timebank/banks/{bank.pk}/",
            "timebank:publication_detail": f"/timebank/publications/{publication.pk}/",
        },
        users={"timebank:approvals": principal, "timebank:bank_detail": principal, "timebank:my": me.user},
    )
