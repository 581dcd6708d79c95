"""Concurrent debits never overdraw: approvals on one account serialise on its row lock."""

from decimal import Decimal

import pytest
from django.db import connection

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, LeaveRequest, LeaveStatus, LedgerEntry
from mofang.governance.timebank.services.common import today
from mofang.platform.testing import race

from .conftest import last_month

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_overdraw(bank, people):
    account = Account.objects.get(bank=bank, staff=people.mao)
    services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=5, acting_user=people.academic)
    leaves = [
        services.request_leave(
            account, kind="leave", date=today(), hours="1", reason=f"第{i}次", acting_user=people.teacher_user
        )
        for i in range(8)
    ]
    outcomes = race(
        [lambda leave=leave: services.approve_leave(leave, acting_user=people.academic) for leave in leaves]
    )
    assert outcomes.count("ok") == 5, outcomes
    assert all(o == "ok" or o.startswith("时间余额不足") for o in outcomes), outcomes
    assert account.current_balance() == Decimal("0.0")
    assert LeaveRequest.objects.filter(status=LeaveStatus.APPROVED).count() == 5


@pytest.mark.django_db(transaction=True)
def test_one_leave_approved_at_once_by_two_approvers_debits_once(bank, people):
    account = Account.objects.get(bank=bank, staff=people.mao)
    services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=5, acting_user=people.academic)
    leave = services.request_leave(
        account, kind="leave", date=today(), hours="2", reason="看病", acting_user=people.teacher_user
    )
    outcomes = race(
        [
            lambda who=who: services.approve_leave(leave, acting_user=who)
            for who in (people.academic, people.principal) * 3
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert all(o == "ok" or "不能重复处理" in o for o in outcomes), outcomes
    assert LedgerEntry.objects.filter(leave=leave).count() == 1
    assert account.current_balance() == Decimal("3.0")


@pytest.mark.django_db(transaction=True)
def test_concurrent_corrections_reverse_an_entry_once(bank, people):
    rec = services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=3, acting_user=people.academic)
    entry = LedgerEntry.objects.get(duty=rec)
    outcomes = race([lambda: services.post_correction(entry, reason="重复登记", acting_user=people.auditor)] * 4)
    assert outcomes.count("ok") == 1, outcomes
    assert all(o == "ok" or "不能重复冲正" in o for o in outcomes), outcomes
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
