"""Database-level helpers shared by every module.

Append-only tables (used from migrations) refuse UPDATE always, and DELETE/TRUNCATE unless the
connection carries the purge switch, which only the test settings turn on (Django's test flush must
empty tables). `prepared_cursor` runs the busiest statements as PostgreSQL prepared statements.
"""

import functools

from django.conf import settings
from django.db import connection as default_connection
from django.db import migrations
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


def prepared_cursor(connection=default_connection):
    """A cursor whose statements PostgreSQL parses and plans once per connection (psycopg's
    prepared statements, server-side parameters) instead of on every call: for the few statements
    of a surge (a selection, a scoped detail read), where planning a four-join query costs the
    database several times what running it does. On another database, or with
    MOFANG_DB_PREPARED=0 (a connection pooler that cannot keep prepared statements), the ordinary
    cursor. Parameters are bound by the server: a value whose type the statement does not fix
    (a bare `%s` in a SELECT list) needs a cast in the SQL."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return connection.cursor()
    # what Django's cursor() does before making one: health check, connect, thread check
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which `prepare=True` cannot override; a
        # threshold never reached prepares only what asks to be (Django's own cursors bind on the
        # client side and never prepare)
        connection.connection.prepare_threshold = 2**31 - 1
    with connection.wrap_database_errors:
        raw = _prepared_cursor_class()(connection.connection)
    return _LoggedCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)


_CASTS = {
    **dict.fromkeys(("AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                     "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"), "bigint"),
    **dict.fromkeys(("CharField", "TextField", "SlugField"), "text"),
    "DateTimeField": "timestamptz", "DateField": "date", "BooleanField": "boolean",
}  # fmt: skip


def typed_placeholder(field) -> str:
    """`%s` cast so that a server-bound parameter in a SELECT list (INSERT … SELECT %s …) reaches
    `field`'s column whatever its value (a None is otherwise sent untyped and taken for text).
    Widened casts (bigint, text): the assignment to the column still refuses what does not fit."""
    target = field.target_field if field.is_relation else field
    cast = _CASTS.get(target.get_internal_type())
    return f"%s::{cast}" if cast else "%s"


class _LoggedCursor(CursorDebugWrapper):
    """The query log's cursor (DEBUG, tests' CaptureQueriesContext) for a prepared statement: Django
    reads the logged SQL back from a client-binding cursor, which this is not, so it is composed here."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params) if params else sql, params):
            return CursorWrapper.execute(self, sql, params)


@functools.cache
def _prepared_cursor_class():
    import psycopg

    class PreparedCursor(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparedCursor


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
