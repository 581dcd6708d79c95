"""Opening balances taken from the previous statement (issue 17): a back-dated entry posted after
the statements still gives every statement the ledger's numbers, and statements chain across months."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, LedgerEntry, MonthlyStatement
from mofang.governance.timebank.services.common import month_bounds, month_key, today

from .conftest import month_start


def _ledger(account, *, before=None, upto=None) -> Decimal:
    qs = LedgerEntry.objects.filter(account=account)
    if before is not None:
        qs = qs.filter(occurred_on__lt=before)
    if upto is not None:
        qs = qs.filter(occurred_on__lte=upto)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _statement(account, month: str) -> MonthlyStatement:
    return MonthlyStatement.objects.get(account=account, month=month)


def test_a_back_dated_entry_posted_after_the_statements_still_gives_correct_statements(bank, people):
    account = Account.objects.get(bank=bank, staff=people.mao)
    two_ago, last = month_start(2), month_start(1)
    m2, m1 = month_key(two_ago), month_key(last)
    services.record_afterschool_duty(bank, people.mao, date=two_ago, periods=3, acting_user=people.academic)
    services.record_afterschool_duty(bank, people.mao, date=last, periods=2, acting_user=people.academic)
    services.generate_monthly_statements(bank, m2, acting_user=None)
    services.generate_monthly_statements(bank, m1, acting_user=None)
    assert (_statement(account, m1).opening_balance, _statement(account, m1).closing_balance) == (
        Decimal("3.0"),
        Decimal("5.0"),
    )

    # a substitution of two months ago, recorded only now: the statement of two months ago is stale,
    # so last month's opening balance must not be taken from it
    services.record_substitution(
        bank, people.mao, date=two_ago + dt.timedelta(days=3), periods=4, acting_user=people.academic
    )
    result = services.generate_monthly_statements(bank, m1, acting_user=None)
    assert (result["created"], result["updated"], result["sms"]) == (0, 1, 1)
    st = _statement(account, m1)
    assert (st.opening_balance, st.earned_afterschool, st.closing_balance) == (
        Decimal("5.0"),
        Decimal("2.0"),
        Decimal("7.0"),
    )
    assert st.opening_balance == _ledger(account, before=month_bounds(m1)[0])
    assert st.closing_balance == _ledger(account, upto=month_bounds(m1)[1])

    # two months ago, run again, takes the entry; last month, run again, now chains from it and is unchanged
    services.generate_monthly_statements(bank, m2, acting_user=None)
    assert (_statement(account, m2).earned_substitution, _statement(account, m2).closing_balance) == (
        Decimal("2.0"),
        Decimal("5.0"),
    )
    again = services.generate_monthly_statements(bank, m1, acting_user=None)
    assert (again["created"], again["updated"], again["sms"]) == (0, 0, 0)


def test_a_statement_computed_before_entries_were_counted_is_not_trusted(bank, people):
    """A statement without `ledger_seen` (written before this rule) is never taken as an opening balance."""
    account = Account.objects.get(bank=bank, staff=people.mao)
    two_ago, last = month_start(2), month_start(1)
    services.record_afterschool_duty(bank, people.mao, date=two_ago, periods=3, acting_user=people.academic)
    services.generate_monthly_statements(bank, month_key(two_ago), acting_user=None)
    MonthlyStatement.objects.filter(account=account).update(ledger_seen=None, closing_balance=Decimal("99.0"))
    services.generate_monthly_statements(bank, month_key(last), acting_user=None)
    assert _statement(account, month_key(last)).opening_balance == Decimal("3.0")


# operations: ("post", days back, periods) posts a duty on a day (possibly in a month already stated),
# ("run", months back) generates that month's statements
runs = st.lists(
    st.one_of(
        st.tuples(st.just("post"), st.integers(0, 95), st.integers(1, 4)),
        st.tuples(st.just("run"), st.integers(0, 3), st.just(0)),
    ),
    max_size=14,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=runs)
def test_statements_are_the_ledgers_numbers_whatever_the_order_and_chain_across_months(bank, people, steps):
    first = bank.started_on
    months = []
    d = first.replace(day=1)
    while d <= today():
        months.append(month_key(d))
        d = (d + dt.timedelta(days=32)).replace(day=1)
    with transaction.atomic():
        account = Account.objects.get(bank=bank, staff=people.mao)
        for op, back, n in steps:
            if op == "post":
                day = max(first, today() - dt.timedelta(days=back))
                services.record_afterschool_duty(bank, people.mao, date=day, periods=n, acting_user=people.academic)
                continue
            month = months[max(0, len(months) - 1 - back)]
            services.generate_monthly_statements(bank, month, acting_user=None)
            start, end = month_bounds(month)
            s = _statement(account, month)
            # whatever was posted, back-dated or not, since earlier runs
            assert s.opening_balance == _ledger(account, before=start)
            assert s.closing_balance == _ledger(account, upto=end)
            assert s.closing_balance == s.opening_balance + _ledger(account, upto=end) - _ledger(account, before=start)
        previous = None
        for month in months:  # the monthly run, in order
            services.generate_monthly_statements(bank, month, acting_user=None)
            start, end = month_bounds(month)
            s = _statement(account, month)
            in_month = LedgerEntry.objects.filter(account=account, occurred_on__gte=start, occurred_on__lte=end)
            total = in_month.aggregate(t=Sum("amount"))["t"] or Decimal(0)
            assert s.closing_balance == s.opening_balance + total
            assert s.closing_balance == (
                s.opening_balance + s.earned_substitution + s.earned_afterschool - s.spent + s.corrections
            )
            if previous is not None:
                assert s.opening_balance == previous.closing_balance
            previous = s
        transaction.set_rollback(True)
