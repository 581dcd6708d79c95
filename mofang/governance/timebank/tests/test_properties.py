"""Property: whatever teachers do, a balance is the sum of its entries and never goes below zero,
and every statement's closing balance is the running sum of entries up to its month's end."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, EntryKind, LedgerEntry, MonthlyStatement
from mofang.governance.timebank.services.common import month_bounds, month_key, today

ops = st.lists(
    st.one_of(
        st.tuples(st.just("sub"), st.integers(0, 120), st.integers(1, 8)),
        st.tuples(st.just("duty"), st.integers(0, 120), st.integers(1, 8)),
        st.tuples(st.just("leave"), st.integers(-10, 120), st.integers(1, 16)),
        st.tuples(st.just("correct"), st.integers(0, 1000), st.just(0)),
    ),
    max_size=30,
)


def _months(first: dt.date, last: dt.date) -> list[str]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(month_key(d))
        d = (d + dt.timedelta(days=32)).replace(day=1)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_balance_is_the_sum_of_entries_never_negative_and_statements_close_on_the_running_sum(bank, people, steps):
    span = (today() - bank.started_on).days
    with transaction.atomic():
        account = Account.objects.get(bank=bank, staff=people.mao)
        for kind, offset, n in steps:
            day = today() - dt.timedelta(days=offset % (span + 1))
            try:
                if kind == "sub":
                    services.record_substitution(bank, people.mao, date=day, periods=n, acting_user=people.academic)
                elif kind == "duty":
                    services.record_afterschool_duty(bank, people.mao, date=day, periods=n, acting_user=people.academic)
                elif kind == "leave":
                    leave_day = today() - dt.timedelta(days=offset) if offset < 0 else day
                    leave = services.request_leave(
                        account,
                        kind="leave",
                        date=leave_day,
                        hours=Decimal(n) / 2,
                        reason="事假",
                        acting_user=people.teacher_user,
                    )
                    services.approve_leave(leave, acting_user=people.academic)
                else:
                    candidates = list(
                        LedgerEntry.objects.filter(account=account).exclude(kind=EntryKind.CORRECTION).order_by("pk")
                    )
                    if candidates:
                        services.post_correction(
                            candidates[offset % len(candidates)], reason="专项审核", acting_user=people.auditor
                        )
            except ValidationError:
                pass  # a refusal (overdraft, already reversed …) must leave everything as it was

            amounts = list(LedgerEntry.objects.filter(account=account).values_list("amount", flat=True))
            balance = Account.objects.with_balance().get(pk=account.pk).balance
            assert balance == sum(amounts, Decimal(0)) == account.current_balance()
            assert balance >= 0

        entries = list(LedgerEntry.objects.filter(account=account).values_list("occurred_on", "amount"))
        for month in _months(bank.started_on, today()):
            services.generate_monthly_statements(bank, month, acting_user=None)
            start, end = month_bounds(month)
            s = MonthlyStatement.objects.get(account=account, month=month)
            running = sum((a for d, a in entries if d <= end), Decimal(0))
            assert s.closing_balance == running >= 0
            assert s.opening_balance == sum((a for d, a in entries if d < start), Decimal(0))
            assert s.closing_balance == (
                s.opening_balance + s.earned_substitution + s.earned_afterschool - s.spent + s.corrections
            )
        transaction.set_rollback(True)
