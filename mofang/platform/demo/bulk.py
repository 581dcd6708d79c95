"""Fast inserts for the demo generator: prepared tuples, ids reserved up front, then COPY
(PostgreSQL) or executemany (SQLite).

bulk_create() spends most of its time building a model instance and compiling SQL per row (and
SQLite caps a statement at 999 parameters, ~90 students). A benchmark province has millions of
rows, so people are written as plain tuples here. Ids are reserved before the insert so that the
linking rows (guardianships) can be built without reading anything back.

Columns the generator does not supply get the model field's default, so a field added to a model
later does not break the generator.
"""

from django.db import connection
from django.db.models import DateTimeField
from django.utils import timezone

_BLOCK = 10_000


class RowWriter:
    """Buffers rows for one model and writes them with a single executemany per flush."""

    def __init__(self, model, columns: list[str]):
        meta = model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        unknown = [c for c in columns if c not in by_attname]
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {unknown}")
        self.model = model
        self.columns = ["id", *columns]
        rest = [f for f in meta.concrete_fields if f.attname not in self.columns]
        self.defaults = tuple(self._default(f) for f in rest)
        names = [by_attname[c].column for c in self.columns] + [f.column for f in rest]
        qn = connection.ops.quote_name
        target = f"{qn(meta.db_table)} ({', '.join(qn(n) for n in names)})"
        self.sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(names))})"
        self.copy_sql = f"COPY {target} FROM STDIN"
        self.rows: list[tuple] = []
        self.written = 0
        self._pool: list[int] = []
        self._next_local: int | None = None

    @staticmethod
    def _default(field):
        if isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add):
            value = timezone.now()
        else:
            value = field.get_default()
        return field.get_db_prep_save(value, connection)

    def new_id(self) -> int:
        """Reserve the primary key of the next row."""
        if connection.vendor == "sqlite":
            # The demo runs in one IMMEDIATE transaction: nobody else can write meanwhile.
            if self._next_local is None:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.model._meta.db_table)}")
                    self._next_local = (cursor.fetchone()[0] or 0) + 1
            value = self._next_local
            self._next_local += 1
            return value
        if not self._pool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.model._meta.db_table, _BLOCK],
                )
                self._pool = [r[0] for r in cursor.fetchall()][::-1]
        return self._pool.pop()

    def add(self, row: tuple) -> None:
        """`row` = (id, *columns) in the order given to the constructor."""
        self.rows.append(row + self.defaults)

    def flush(self) -> int:
        n = len(self.rows)
        if n and connection.vendor == "postgresql":
            # COPY is several times faster than even pipelined INSERTs on PostgreSQL.
            with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        elif n:
            with connection.cursor() as cursor:
                for i in range(0, n, _BLOCK):
                    cursor.executemany(self.sql, self.rows[i : i + _BLOCK])
        self.written += n
        self.rows = []
        return n


def date_value(d) -> str | None:
    return connection.ops.adapt_datefield_value(d)
