"""Fixtures for the time-bank tests: a bank at 常山县第一小学 with its people, built through the
same services the pages use (no hard-coded results)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account
from mofang.governance.timebank.services.common import today
from mofang.platform.testing import make_staff, make_user


def month_start(months_back: int = 0) -> dt.date:
    """First day of the month `months_back` months before the current one."""
    d = today().replace(day=1)
    for _ in range(months_back):
        d = (d - dt.timedelta(days=1)).replace(day=1)
    return d


def last_month() -> dt.date:
    return month_start(1)


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


@pytest.fixture
def people(tree):
    """Users and staff of 常山县第一小学 (and one auditor in another county)."""
    p = SimpleNamespace()
    p.principal = make_user("principal_cs1", "principal", tree.school, full_name="校长")
    p.academic = make_user("academic_cs1", "academic", tree.school, full_name="教务")
    p.auditor = make_user("auditor_cs1", "bank_auditor", tree.school, full_name="银行专管员")
    p.teacher_user = make_user("maoyumei", "teacher", tree.school, full_name="毛玉梅")
    p.colleague_user = make_user("teacher_cs1b", "teacher", tree.school, full_name="王老师")
    p.county = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    p.other_county = make_user("admin_js", "county_admin", tree.other_county, full_name="江山市管理员")
    p.other_auditor = make_user("auditor_js", "bank_auditor", tree.other_school, full_name="江山专管员")
    p.mao = make_staff(tree.school, "毛玉梅", user=p.teacher_user, phone="13905700001")
    p.colleague = make_staff(tree.school, "王丽华", user=p.colleague_user, phone="13905700002")
    p.other_staff = make_staff(tree.other_school, "江山教师", phone="13905700003")
    return p


@pytest.fixture
def bank(tree, people):
    """The bank of 常山县第一小学, counting from three months ago, opened by the principal."""
    return services.open_bank(tree.school, started_on=month_start(3), acting_user=people.principal)


@pytest.fixture
def other_bank(tree, people):
    return services.open_bank(tree.other_school, started_on=month_start(3), acting_user=None)


@pytest.fixture
def mao_account(bank, people):
    return Account.objects.get(bank=bank, staff=people.mao)


@pytest.fixture
def colleague_account(bank, people):
    return Account.objects.get(bank=bank, staff=people.colleague)


def seed_month(bank, people, month: dt.date):
    """The seed's month for 毛玉梅: 4 periods 代课, 14 periods 托管, 4 h leave approved."""
    services.record_substitution(
        bank, people.mao, date=month.replace(day=8), periods=2, absent=people.colleague, acting_user=people.academic
    )
    services.record_substitution(bank, people.mao, date=month.replace(day=15), periods=2, acting_user=people.academic)
    for day in (3, 5, 10, 12, 17, 19, 24):
        services.record_afterschool_duty(
            bank, people.mao, date=month.replace(day=day), periods=2, acting_user=people.academic
        )
    account = Account.objects.get(bank=bank, staff=people.mao)
    for day, reason in ((20, "家中急事"), (26, "去医院看病")):
        leave = services.request_leave(
            account,
            kind="leave",
            date=month.replace(day=day),
            hours="2",
            reason=reason,
            acting_user=people.teacher_user,
        )
        services.approve_leave(leave, acting_user=people.academic)
    return account
