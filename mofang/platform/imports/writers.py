"""How validated rows reach the database: the platform's choice, by database vendor.

Every writer works in two steps. While the file is being validated, `add` stages each good
row (nothing in the real table yet, so a file with errors costs the database nothing). Then,
inside the import's one transaction, `out_of_scope` lists rows whose natural key already
belongs to a record the user may not see — an upsert by 学籍号 alone would otherwise let one
county overwrite, and move, another county's student — and `write` upserts the rows.

- PostgresCopyWriter: COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT
  (natural key) DO UPDATE, counting created vs updated with RETURNING (xmax = 0).
- OrmWriter (SQLite and anything else): chunks spilled to a temporary file, then
  bulk_create(update_conflicts=True) per chunk; on SQLite in short committed batches with an
  undo record, so that others get the write lock between them (see the class).
- CustomWriter: for importers that override `write` (their rows are not plain upserts); the
  cleaned rows are kept until the write step and handed over in chunks.
"""

import pickle
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from typing import cast

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction

from .base import ImportContext, Importer

ProgressFn = Callable[[int], None]


class Writer:
    def __init__(self, importer: Importer, ctx: ImportContext):
        self.importer = importer
        self.ctx = ctx
        self.staged = 0

    def add(self, line: int, row) -> None:
        raise NotImplementedError

    def out_of_scope(self) -> Iterator[int]:
        """Lines (ascending) whose natural key exists on a record outside the user's scope."""
        return iter(())

    def write(self, progress: ProgressFn | None = None) -> tuple[int, int]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the staging area; called whether or not the import succeeded."""

    # --- helpers for the writers of declared models -------------------------------------
    def _visible(self):
        """The records the importing user may import over, or None if the model is unscoped."""
        manager = self.importer.model._default_manager
        if not hasattr(manager, "visible_to"):
            return None
        return manager.visible_to(self.ctx.user, self.importer.permission)


class PostgresCopyWriter(Writer):
    """COPY into a temporary staging table, then one set-based upsert into the real table."""

    flush_rows = 10_000  # rows per COPY batch; the connection is free between batches

    def __init__(self, importer, ctx):
        super().__init__(importer, ctx)
        meta = importer.model._meta
        self.table = meta.db_table
        self.fields = [meta.get_field(name) for name in importer.db_fields]
        self.key = meta.get_field(importer.natural_key).column
        self.pk = meta.pk.column
        self.stage = f"mofang_import_{uuid.uuid4().hex[:16]}"
        self._buffer: list[tuple] = []
        self._open = False

    def _q(self, name: str) -> str:
        return connection.ops.quote_name(name)

    def _columns(self) -> str:
        return ", ".join(self._q(f.column) for f in self.fields)

    def add(self, line, row):
        self._buffer.append((line, *row))
        if len(self._buffer) >= self.flush_rows:
            self._flush()

    def _flush(self):
        with connection.cursor() as cur:
            if not self._open:
                cols = ", ".join(f"{self._q(f.column)} {f.db_type(connection)}" for f in self.fields)
                cur.execute(f"CREATE TEMPORARY TABLE {self._q(self.stage)} (line integer NOT NULL, {cols})")
                self._open = True
                # Binary COPY needs the exact column types; it halves the client's cost per row.
                cur.execute(
                    "SELECT atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                    "AND NOT attisdropped ORDER BY attnum",
                    [self.stage],
                )
                self._types = [oid for (oid,) in cur.fetchall()]
            if self._buffer:
                sql = f"COPY {self._q(self.stage)} (line, {self._columns()}) FROM STDIN (FORMAT BINARY)"
                with cur.cursor.copy(sql) as copy:
                    copy.set_types(self._types)
                    write_row = copy.write_row
                    for row in self._buffer:
                        write_row(row)
                self.staged += len(self._buffer)
                self._buffer = []

    def out_of_scope(self):
        self._flush()
        with connection.cursor() as cur:
            # Writers to the table (other imports, edits) queue here until the import commits, so
            # no row can change owner between this check and the upsert; readers are not blocked.
            cur.execute(f"LOCK TABLE {self._q(self.table)} IN SHARE ROW EXCLUSIVE MODE")
        visible = self._visible()
        if visible is None:
            return
        with connection.cursor() as cur:
            try:
                vsql, vparams = visible.values("pk").query.sql_with_params()
                outside = f"t.{self._q(self.pk)} NOT IN ({vsql})"
            except EmptyResultSet:  # no grant at all: every existing record is outside
                outside, vparams = "TRUE", ()
            cur.execute(
                f"SELECT s.line FROM {self._q(self.stage)} s JOIN {self._q(self.table)} t "
                f"ON t.{self._q(self.key)} = s.{self._q(self.key)} WHERE {outside} ORDER BY s.line",
                vparams,
            )
            while batch := cur.fetchmany(5000):
                for (line,) in batch:
                    yield line

    def write(self, progress=None):
        self._flush()
        if not self.staged:
            return 0, 0
        q = self._q
        sealed = self.importer.sealed_fields
        assignments, compared = [], []
        for f in self.fields:
            col = q(f.column)
            if f.column == self.key:
                continue
            if f.name in sealed or f.attname in sealed:
                h = q(self.importer.model._meta.get_field(sealed.get(f.name) or sealed[f.attname]).column)
                assignments.append(
                    f"{col} = CASE WHEN t.{h} IS DISTINCT FROM EXCLUDED.{h} THEN EXCLUDED.{col} ELSE t.{col} END"
                )
                continue
            assignments.append(f"{col} = EXCLUDED.{col}")
            if not getattr(f, "auto_now", False):  # a new updated_at alone is no change: keep the row
                compared.append(col)
        changed = (
            (
                f" WHERE ROW({', '.join('t.' + c for c in compared)}) IS DISTINCT FROM "
                f"ROW({', '.join('EXCLUDED.' + c for c in compared)})"
            )
            if compared
            else ""
        )
        # One statement for the whole file, in natural-key order: the unique index is then filled
        # left to right instead of at random (on a million-row roll that halves the write).
        sql = (
            f"WITH w AS (INSERT INTO {q(self.table)} AS t ({self._columns()}) "
            f"SELECT {self._columns()} FROM {q(self.stage)} ORDER BY {q(self.key)} "
            f"ON CONFLICT ({q(self.key)}) DO UPDATE SET {', '.join(assignments)}{changed} "
            f"RETURNING (t.xmax = 0) AS created) "
            f"SELECT count(*) FILTER (WHERE created) FROM w"
        )
        with connection.cursor() as cur:
            # Keep the sort above in memory rather than on disk; for this transaction only, never lower.
            cur.execute(
                "SELECT set_config('work_mem', '256MB', true) "
                "WHERE pg_size_bytes(current_setting('work_mem')) < 256 * 1024 * 1024"
            )
            cur.execute(sql)
            created = cur.fetchone()[0]
        if progress:
            progress(self.staged)
        # Rows that matched an existing record count as updated, rewritten or already equal.
        return created, self.staged - created

    def close(self):
        self._buffer = []
        if self._open:
            with connection.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {self._q(self.stage)}")
            self._open = False


class _Spill:
    """Chunks of rows pickled to a temporary file: bounded memory however long the file."""

    def __init__(self, chunk_size: int):
        self.chunk_size = chunk_size
        self.chunk: list[tuple[int, object]] = []
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 lives as long as the spill; closed by close()

    def add(self, line, row):
        self.chunk.append((line, row))
        if len(self.chunk) >= self.chunk_size:
            pickle.dump(self.chunk, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.chunk = []

    def chunks(self) -> Iterator[list[tuple[int, object]]]:
        if self.chunk:
            pickle.dump(self.chunk, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.chunk = []
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)
            except EOFError:
                break
        self.file.seek(0, 2)

    def close(self):
        self.file.close()


def _let_others_in(seconds: float) -> None:
    """Between two committed batches: a login or API call waiting for SQLite's lock takes it."""
    time.sleep(seconds)


class OrmWriter(Writer):
    """bulk_create(update_conflicts=True) per chunk, for SQLite and any other database.

    On SQLite (`batched`), whose one writer at a time would otherwise keep every login and API
    call that writes waiting for the whole write step (minutes, for a county's roll), each batch
    of `batch_rows` rows is its own short transaction, followed by a pause that lets whoever is
    waiting for the lock in. The file stays all-or-nothing: every row was checked before the
    first batch; each batch checks the scope of its rows again inside its transaction, and keeps
    an undo record (the keys it created, the rows it overwrote, as they were), so that any failure
    — a row that turned out of scope, a refusal by the database, an exception in after_write — is
    undone by `undo()` in one transaction. A worker killed mid-write leaves the rows written so
    far; the reaper re-queues the import (retry-safe) and the re-run writes them all.
    """

    batched = False
    batch_rows = 1000
    pause = 0.1  # s after each batch: SQLite's busy handler polls at most every 100 ms

    def __init__(self, importer, ctx):
        super().__init__(importer, ctx)
        self.model = importer.model
        self.key = importer.natural_key
        self._spill = _Spill(importer.chunk_size)
        key_at = importer.db_fields.index(self.key)
        self._key_of = lambda row: row[key_at]
        self._created: list = []  # natural keys of the rows a batched write created
        self._before: _Spill | None = None  # (pk, values) of the rows it overwrote, as they were

    def add(self, line, row):
        self._spill.add(line, row)
        self.staged += 1

    def out_of_scope(self):
        visible = self._visible()
        if visible is None:
            return
        for chunk in self._spill.chunks():
            yield from sorted(self._outside({self._key_of(row): line for line, row in chunk}, visible))

    def _outside(self, keys: dict, visible) -> list[int]:
        """Lines of `keys` (natural key → line) held by a record the user may not import over."""
        manager = self.model._default_manager
        existing = set(manager.filter(**{f"{self.key}__in": list(keys)}).values_list(self.key, flat=True))
        if not existing:
            return []
        allowed = set(visible.filter(**{f"{self.key}__in": list(existing)}).values_list(self.key, flat=True))
        return [keys[k] for k in existing - allowed]

    def _batches(self) -> Iterator[list[tuple[int, object]]]:
        size = self.batch_rows if self.batched else self.importer.chunk_size
        for chunk in self._spill.chunks():
            for start in range(0, len(chunk), size):
                yield chunk[start : start + size]

    def write(self, progress=None):
        fields = self.importer.db_fields
        update_fields = [f for f in fields if f != self.key]
        manager = self.model._default_manager
        visible = self._visible() if self.batched else None
        if self.batched:
            self._before = _Spill(self.importer.chunk_size)
        created = updated = done = 0
        for chunk in self._batches():
            objs = [self.model(**dict(zip(fields, row, strict=True))) for _line, row in chunk]
            keys = [self._key_of(row) for _line, row in chunk]
            if not self.batched:
                existing = manager.filter(**{f"{self.key}__in": keys}).count()
                manager.bulk_create(objs, update_conflicts=True, unique_fields=[self.key], update_fields=update_fields)
            else:
                with transaction.atomic():
                    before = list(
                        manager.filter(**{f"{self.key}__in": keys}).values_list("pk", self.key, *update_fields)
                    )
                    if before and visible is not None:
                        had = [b[1] for b in before]
                        if len(visible.filter(**{f"{self.key}__in": had}).values_list(self.key)) != len(had):
                            # moved out of the user's scope since the check: undone by the caller
                            raise IntegrityError("a record changed scope during the import")
                    manager.bulk_create(
                        objs, update_conflicts=True, unique_fields=[self.key], update_fields=update_fields
                    )
                had = {b[1] for b in before}
                self._created.extend(k for k in keys if k not in had)
                for b in before:
                    self._before.add(b[0], b[2:])
                existing = len(before)
                _let_others_in(self.pause)
            created, updated, done = created + len(objs) - existing, updated + existing, done + len(objs)
            if progress:
                progress(done)
        return created, updated

    def undo(self) -> None:
        """Put back what a batched write committed: delete the rows it created and restore the
        rows it overwrote, in one transaction."""
        if not self.batched:
            return
        manager = self.model._base_manager
        update_fields = [f for f in self.importer.db_fields if f != self.key]
        size = 500
        with transaction.atomic():
            for start in range(0, len(self._created), size):
                manager.filter(**{f"{self.key}__in": self._created[start : start + size]}).delete()
            if self._before is not None:
                for chunk in self._before.chunks():
                    objs = [
                        self.model(pk=pk, **dict(zip(update_fields, cast(tuple, values), strict=True)))
                        for pk, values in chunk
                    ]
                    manager.bulk_update(objs, update_fields, batch_size=size)
        self._created = []

    def close(self):
        self._spill.close()
        if self._before is not None:
            self._before.close()


class CustomWriter(Writer):
    """Hands cleaned rows to the importer's own `write`, chunk by chunk."""

    def __init__(self, importer, ctx):
        super().__init__(importer, ctx)
        self._rows: list[dict] = []

    def add(self, line, row):
        self._rows.append(row)
        self.staged += 1

    def write(self, progress=None):
        created = updated = 0
        size = self.importer.chunk_size
        for start in range(0, len(self._rows), size):
            c, u = self.importer.write(self._rows[start : start + size], self.ctx)
            created, updated = created + c, updated + u
            if progress:
                progress(min(start + size, len(self._rows)))
        return created, updated

    def close(self):
        self._rows = []


def writer_for(importer: Importer, ctx: ImportContext) -> Writer:
    if importer.writes_itself:
        return CustomWriter(importer, ctx)
    if importer.model is None or not importer.db_fields:
        raise TypeError(f"{type(importer).__name__} must declare model and db_fields, or override write()")
    if connection.vendor == "postgresql":
        return PostgresCopyWriter(importer, ctx)
    writer = OrmWriter(importer, ctx)
    writer.batched = connection.vendor == "sqlite"
    return writer
