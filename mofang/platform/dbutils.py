"""Database-level guarantees shared by every module (used from migrations).

Append-only tables refuse UPDATE always, and DELETE/TRUNCATE unless the connection carries the
purge switch, which only the test settings turn on (Django's test flush must empty tables).
"""

from django.conf import settings
from django.db import migrations


def install_sqlite_functions(sender, connection, **kwargs):
    """Register mofang_purge_allowed() on each new SQLite connection (connection_created)."""
    if connection.vendor == "sqlite":
        allowed = 1 if getattr(settings, "ALLOW_PURGE", False) else 0
        connection.connection.create_function("mofang_purge_allowed", 0, lambda: allowed, deterministic=True)


def pg_guard_function(table: str) -> str:
    """The PostgreSQL trigger function guarding an append-only table.

    With the purge switch on, a row-level DELETE must return OLD: a BEFORE trigger returning NULL
    silently skips the row, so a test's DELETE would do nothing (TRUNCATE is statement-level and
    ignores the value).
    """
    return (
        f'CREATE OR REPLACE FUNCTION "{table}_append_only"() RETURNS trigger AS $$ '
        f"BEGIN "
        f"IF TG_OP <> 'UPDATE' AND current_setting('mofang.allow_purge', true) = 'on' THEN "
        f"IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF; RETURN NULL; END IF; "
        f"RAISE EXCEPTION 'append-only table {table}: %% refused', TG_OP; END; $$ LANGUAGE plpgsql;"
    )


def repair_pg_guards(apps, schema_editor):
    """Rewrite the guard function of every append-only table made before pg_guard_function."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_append_only'"
        )
        tables = [row[0] for row in cursor.fetchall()]
    for table in tables:
        schema_editor.execute(pg_guard_function(table))


class AppendOnly(migrations.operations.base.Operation):
    """Triggers that make a table append-only: UPDATE and DELETE are refused by the database.

    Works on SQLite and PostgreSQL. Used for the audit log and every ledger.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, to_state):
        return to_state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, to_state)
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE refused'); END;"
            )
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
                f"WHEN mofang_purge_allowed() = 0 "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table: DELETE refused'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(pg_guard_function(table))
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                f'FOR EACH ROW EXECUTE FUNCTION "{table}_append_only"();'
            )
            # TRUNCATE skips row triggers: refuse it with a statement trigger.
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
                f'FOR EACH STATEMENT EXECUTE FUNCTION "{table}_append_only"();'
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = self._table(app_label, from_state)
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_no_{op}"')
        elif vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"')
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"')
            schema_editor.execute(f'DROP FUNCTION IF EXISTS "{table}_append_only"()')

    def describe(self):
        return f"Make {self.model_name} append-only"
