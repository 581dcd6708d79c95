import pytest
from django.db import DatabaseError, connection, transaction

from mofang.platform.audit.models import AuditEntry
from mofang.platform.audit.services import record


def _purge_switch_off():
    """Production state of the purge switch (the test settings turn it on for flushes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET LOCAL mofang.allow_purge = 'off'")
    else:
        connection.ensure_connection()
        connection.connection.create_function("mofang_purge_allowed", 0, lambda: 0)


def _restore():
    if connection.vendor == "sqlite":
        connection.connection.create_function("mofang_purge_allowed", 0, lambda: 1)


@pytest.fixture
def entry(tree):
    return record(actor=None, action="action", summary="原始记录", org=tree.school)


def test_database_refuses_update_of_an_audit_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(f"UPDATE {AuditEntry._meta.db_table} SET summary = 'tampered' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "原始记录"


def test_database_refuses_delete_of_an_audit_entry(entry):
    try:
        with pytest.raises(DatabaseError), transaction.atomic():
            _purge_switch_off()
            with connection.cursor() as c:
                c.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entry.pk])
    finally:
        _restore()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_orm_refuses_to_save_or_delete_an_existing_entry(entry):
    entry.summary = "changed"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_entry_is_scoped_to_the_org_of_the_record(tree):
    from mofang.platform.testing import make_staff

    staff = make_staff(tree.school, "毛玉梅")
    e = record(actor=None, action="update", summary="改岗位", obj=staff)
    assert e.org == tree.school and e.object_type == "people.Staff"


def test_an_unknown_action_is_refused_on_every_database(tree):
    """A free-form action fits SQLite but overflows the column on PostgreSQL: refuse it always."""
    with pytest.raises(ValueError):
        record(actor=None, action="enrollment.draw.create", summary="x", org=tree.school)


def test_with_the_purge_switch_on_a_delete_really_deletes(entry):
    """Only the test settings turn the switch on; then a DELETE must remove the row, not skip it."""
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entry.pk])
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()
