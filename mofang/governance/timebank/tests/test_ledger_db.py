"""The ledger is append-only and well-formed because the database says so, not only the code."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from mofang.governance.timebank import services
from mofang.governance.timebank.models import EntryKind, LedgerEntry

from .conftest import last_month

TABLE = LedgerEntry._meta.db_table


@pytest.fixture
def entry(bank, people):
    rec = services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=2, acting_user=people.academic)
    return LedgerEntry.objects.get(duty=rec)


def test_update_on_the_ledger_table_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(f'UPDATE "{TABLE}" SET amount = 100 WHERE id = %s', [entry.pk])
    entry.refresh_from_db()
    assert entry.amount == Decimal("2.0")


def test_delete_on_the_ledger_table_is_refused_by_the_database(entry):
    """The test settings allow purging (for flushes); switch that off for this connection first."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL mofang.allow_purge = 'off'")
            else:
                connection.connection.create_function("mofang_purge_allowed", 0, lambda: 0)
            try:
                cur.execute(f'DELETE FROM "{TABLE}" WHERE id = %s', [entry.pk])
            finally:
                if connection.vendor == "sqlite":
                    connection.connection.create_function("mofang_purge_allowed", 0, lambda: 1)
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_the_orm_refuses_to_save_or_delete_an_entry(entry):
    entry.amount = Decimal("9")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_an_entry_needs_exactly_one_matching_cause(entry, mao_account):
    bad = [
        dict(kind=EntryKind.CREDIT_AFTERSCHOOL, amount=1),  # no cause
        dict(kind=EntryKind.CREDIT_AFTERSCHOOL, amount=1, reverses=entry),  # wrong cause for the kind
        dict(kind=EntryKind.CORRECTION, amount=-2, reverses=entry, duty=entry.duty),  # two causes
        dict(kind=EntryKind.CREDIT_SUBSTITUTION, amount=-1, substitution=None, duty=entry.duty),
        dict(kind=EntryKind.CORRECTION, amount=0, reverses=entry),  # a zero correction
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(account=mao_account, occurred_on=last_month(), **fields)


def test_a_record_credits_at_most_once(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            account=entry.account,
            kind=EntryKind.CREDIT_AFTERSCHOOL,
            amount=2,
            occurred_on=entry.occurred_on,
            duty=entry.duty,
        )
