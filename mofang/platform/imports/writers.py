"""How validated rows reach the database: the platform's choice, by database vendor.

Every writer works in two steps. While the file is being validated, `add` stages each good
row (nothing in the real table yet, so a file with errors costs the database nothing). Then,
inside the import's one transaction, `out_of_scope` lists rows whose natural key already
belongs to a record the user may not see — an upsert by 学籍号 alone would otherwise let one
county overwrite, and move, another county's student — and `write` upserts the rows.

- PostgresCopyWriter: COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT
  (natural key) DO UPDATE, counting created vs updated with RETURNING (xmax = 0). Used inside a
  caller's transaction (tests).
- PostgresPipelineWriter (a real import job on PostgreSQL): the same write, chunk by chunk, on a
  connection of its own in one transaction, while the file is still being validated; a chunk of
  new keys goes in with a plain COPY (and the importer's follow-up rows with it), the rest through
  staging and the upsert. Rolled back on any bad row. See the class.
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
from django.db import IntegrityError, connection, models, transaction

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
            yield from self._outside_lines(cur, self.stage)

    def _outside_lines(self, cur, stage: str) -> Iterator[int]:
        """Lines of `stage` whose natural key is held by a record outside the user's scope."""
        visible = self._visible()
        if visible is None:
            return
        try:
            vsql, vparams = visible.values("pk").query.sql_with_params()
            outside = f"t.{self._q(self.pk)} NOT IN ({vsql})"
        except EmptyResultSet:  # no grant at all: every existing record is outside
            outside, vparams = "TRUE", ()
        cur.execute(
            f"SELECT s.line FROM {self._q(stage)} s JOIN {self._q(self.table)} t "
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
        with connection.cursor() as cur:
            created, _written = self._upsert(cur, self.stage)
        if progress:
            progress(self.staged)
        # Rows that matched an existing record count as updated, rewritten or already equal.
        return created, self.staged - created

    def _upsert(self, cur, stage: str, follow_ups: list[tuple[str, list]] | None = None) -> tuple[int, int]:
        """Upsert every row of `stage` into the table in natural-key order; returns (rows created,
        rows written). `follow_ups` are statements (SQL, params) run in the same statement, as
        data-modifying WITH queries over `w`: the rows written, every column of the table plus
        `mofang_created`."""
        q = self._q
        sealed = self.importer.sealed_fields
        assignments, compared = [], []
        for f in self.fields:
            col = q(f.column)
            if f.column == self.key:
                continue
            if f.name in sealed or f.attname in sealed:
                hashed = sealed.get(f.name) or sealed[str(f.attname)]
                hashed_field = cast(type[models.Model], self.importer.model)._meta.get_field(hashed)
                h = q(str(cast(models.Field, hashed_field).column))
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
        returning = "t.*, (t.xmax = 0) AS mofang_created" if follow_ups else "(t.xmax = 0) AS mofang_created"
        extra, params = "", []
        for i, (sql, p) in enumerate(follow_ups or ()):
            extra += f", f{i} AS ({sql})"
            params += p
        # One statement for the whole file (or chunk), in natural-key order: the unique index is
        # then filled left to right instead of at random (on a million-row roll that halves the write).
        sql = (
            f"WITH w AS (INSERT INTO {q(self.table)} AS t ({self._columns()}) "
            f"SELECT {self._columns()} FROM {q(stage)} ORDER BY {q(self.key)} "
            f"ON CONFLICT ({q(self.key)}) DO UPDATE SET {', '.join(assignments)}{changed} "
            f"RETURNING {returning}){extra} "
            f"SELECT count(*) FILTER (WHERE mofang_created), count(*) FROM w"
        )
        # Keep the sort above in memory rather than on disk; for this transaction only, never lower.
        cur.execute(
            "SELECT set_config('work_mem', '256MB', true) "
            "WHERE pg_size_bytes(current_setting('work_mem')) < 256 * 1024 * 1024"
        )
        cur.execute(sql, params or None)
        created, written = cur.fetchone()
        return created, written

    def close(self):
        self._buffer = []
        if self._open:
            with connection.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {self._q(self.stage)}")
            self._open = False


class _Rollback(Exception):
    """Raised in the pipeline's transaction to undo everything it wrote."""


class PostgresPipelineWriter(PostgresCopyWriter):
    """The COPY writer with the write running beside the validation (PostgreSQL, outside any
    transaction of the caller: a real import job, not a test's transaction).

    The validating thread hands over chunks of `pipeline_rows` staged rows; a writer thread, on a
    connection of its own and in ONE transaction begun before the first chunk, COPYs each chunk
    into its staging table, lists the chunk's rows whose natural key belongs to a record outside
    the user's scope, upserts the chunk in natural-key order and lets the importer write its
    follow-ups for those rows (`Importer.after_chunk`). So PostgreSQL writes chunk n while Python
    checks chunk n+1: on two cores the import costs about what the write alone costs.

    All or nothing as before: the validating side stops handing over rows at the first bad row;
    then, or when any row was found out of scope, when the importer's anomalies ask for
    confirmation or when anything fails, the transaction is rolled back. The table is locked
    (SHARE ROW EXCLUSIVE: readers go on, other writers wait) from the first chunk to the commit,
    so that no record changes owner between a chunk's scope check and the commit. Foreign keys
    are checked as each statement ends (SET CONSTRAINTS ALL IMMEDIATE), not all at the commit.
    A bad file costs the database what was written before its first bad row, undone.
    """

    pipelined = True
    pipeline_rows = 50_000
    first_rows = 10_000  # the first chunk, smaller: the writer starts sooner
    queued_chunks = 2  # chunks validated ahead of the writer at most (memory)

    def __init__(self, importer, ctx):
        super().__init__(importer, ctx)
        import queue
        import threading

        self._chunk: list[tuple] = []
        self._queue: queue.Queue = queue.Queue(maxsize=self.queued_chunks)
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._started = False
        self._verdict: queue.Queue = queue.Queue(maxsize=1)
        self._drained = threading.Event()
        self._outside: list[int] = []
        self._created = 0
        self._error: BaseException | None = None
        self._handed = 0  # rows handed to the writer thread
        self._follow_ups_done = True  # every chunk's follow-ups written by after_chunk
        self._stopped = False
        self._finish = None

    # --- the validating thread -----------------------------------------------------------
    def add(self, line, row):
        self._chunk.append((line, *row))
        if len(self._chunk) >= (self.pipeline_rows if self._started else self.first_rows):
            self._hand_over()

    def _hand_over(self):
        if not self._chunk:
            return
        if not self._started:
            self._thread.start()
            self._started = True
        self._handed += len(self._chunk)
        self._put(self._chunk)
        self._chunk = []

    def _put(self, item) -> None:
        """Queue `item` for the writer thread, unless that thread has ended (it failed)."""
        import queue

        while True:
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    return

    def stop(self) -> None:
        """A bad row was found: nothing more is written, and the transaction will be undone."""
        self._stopped = True
        self._chunk = []

    def _drain(self) -> None:
        """Every staged row is written (or the writer failed): wait for it."""
        if self._stopped:
            return
        self._hand_over()
        if self._started:
            self._put(None)
            self._drained.wait()

    def out_of_scope(self):
        self._drain()
        if self._error is not None:
            raise self._error
        yield from sorted(self._outside)

    def write(self, progress=None, finish=None):
        """Commit what the writer thread wrote; `finish(created, updated)` runs in its transaction."""
        self._drain()
        if not self._started:
            return 0, 0
        self._verdict.put(finish or (lambda created, updated: None))
        self._thread.join()
        self._started = False
        if self._error is not None:
            raise self._error
        if progress:
            progress(self._handed)
        return self._created, self._handed - self._created

    def close(self):
        self._chunk = []
        if self._started:
            self._stopped = True
            if not self._drained.is_set():
                self._put(None)
            self._verdict.put(None)  # roll back
            self._thread.join()
            self._started = False

    # --- the writer thread ----------------------------------------------------------------
    def _run(self):
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute(f"LOCK TABLE {self._q(self.table)} IN SHARE ROW EXCLUSIVE MODE")
                    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                while (chunk := self._queue.get()) is not None:
                    if self._stopped or self._error is not None:
                        continue
                    try:
                        self._write_chunk(chunk)
                    except BaseException as exc:  # noqa: BLE001 handed to the validating thread, raised there
                        self._error = exc
                self._drained.set()
                finish = self._verdict.get()
                if finish is None or self._stopped or self._outside or self._error is not None:
                    raise _Rollback
                if not self._follow_ups_done:
                    self.importer.after_write(self.ctx)
                finish(self._created, self._handed - self._created)
        except _Rollback:
            pass
        except BaseException as exc:  # noqa: BLE001 handed to the validating thread, raised there
            self._error = self._error or exc
        finally:
            self._drained.set()
            try:
                if self._open:
                    self._open = False  # a temporary table: it goes with the connection
                connection.close()
            except Exception:  # noqa: BLE001 closing a connection that already failed
                pass

    def _write_chunk(self, chunk: list[tuple]) -> None:
        from psycopg.errors import UniqueViolation

        follow_ups = self.importer.created_follow_ups(self.ctx)
        if follow_ups is not None and not self._outside:
            # A chunk of new keys goes in with COPY, as the floor does: tried under a savepoint,
            # and if any of its keys is already in the table (a re-import), the chunk is undone
            # to the savepoint and upserted through the staging table instead. The table is
            # locked, so no key can appear meanwhile; a key repeated in the file was refused.
            at = 1 + self.importer.db_fields.index(self.importer.natural_key)
            chunk.sort(key=lambda r: r[at])  # the unique index filled left to right
            try:
                with transaction.atomic(), connection.wrap_database_errors:
                    self._copy_new(chunk, follow_ups)
                self._created += len(chunk)
                return
            except IntegrityError as exc:
                if not isinstance(exc.__cause__, UniqueViolation):
                    raise
        self._write_staged(chunk)

    def _write_staged(self, chunk: list[tuple]) -> None:
        self._buffer = chunk
        self._flush()
        with connection.cursor() as cur:
            outside = list(self._outside_lines(cur, self.stage))
            if outside or self._outside:
                self._outside.extend(outside)  # every such row for the report; nothing more written
            else:
                follow_ups = self.importer.chunk_follow_ups(self.ctx)
                created, written = self._upsert(cur, self.stage, follow_ups)
                self._created += created
                # the follow-ups of rows updated (or of every row, for an importer without
                # chunk_follow_ups) chunk by chunk when the importer can, else once at the end
                if (follow_ups is None or written > created) and not self.importer.after_chunk(
                    self.ctx, self.stage, self.key
                ):
                    self._follow_ups_done = False
            cur.execute(f"TRUNCATE {self._q(self.stage)}")

    def _copy_types(self, cur, table: str, columns: list[str]) -> list[int]:
        cur.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped",
            [table],
        )
        types = dict(cur.fetchall())
        return [types[c] for c in columns]

    def _copy_new(self, rows: list[tuple], follow_ups: list[tuple[str, list]]) -> None:
        """COPY new rows (binary, with ids drawn from the table's sequence), then the importer's
        statements that write what goes with them (e.g. the roll's history) from those rows, by id
        range: PostgreSQL builds them, not this thread, which shares the GIL with the checks."""
        q = self._q
        with connection.cursor() as cur:
            # a range of ids in one step: whoever else inserts into the table waits for its lock
            # before drawing from the sequence, so no one draws in between
            cur.execute(
                "WITH s AS (SELECT pg_get_serial_sequence(%s, %s) AS seq), f AS (SELECT nextval(seq) AS id FROM s) "
                "SELECT f.id, setval(s.seq, f.id + %s) FROM s, f",
                [self.table, self.pk, len(rows) - 1],
            )
            first = cur.fetchone()[0]
            ids = range(first, first + len(rows))
            columns = [self.pk, *(f.column for f in self.fields)]
            if not hasattr(self, "_new_types"):
                self._new_types = self._copy_types(cur, self.table, columns)
            sql = f"COPY {q(self.table)} ({', '.join(q(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
            with cur.cursor.copy(sql) as copy:
                copy.set_types(self._new_types)
                write_row = copy.write_row
                for pk, row in zip(ids, rows, strict=True):
                    write_row((pk, *row[1:]))
            for statement, params in follow_ups:
                cur.execute(statement, [*params, first, ids[-1]])


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


def pipeline_enabled() -> bool:
    """MOFANG_IMPORT_PIPELINE=0 turns the pipelined write off (the whole file is checked first)."""
    import os

    return os.environ.get("MOFANG_IMPORT_PIPELINE", "1") != "0"


def writer_for(importer: Importer, ctx: ImportContext) -> Writer:
    if importer.writes_itself:
        return CustomWriter(importer, ctx)
    if importer.model is None or not importer.db_fields:
        raise TypeError(f"{type(importer).__name__} must declare model and db_fields, or override write()")
    if connection.vendor == "postgresql":
        # the pipeline writes on a connection of its own: not inside a transaction of the caller,
        # whose rows (a test's tree) it would not see
        pipelined = not connection.in_atomic_block and pipeline_enabled()
        return (PostgresPipelineWriter if pipelined else PostgresCopyWriter)(importer, ctx)
    writer = OrmWriter(importer, ctx)
    writer.batched = connection.vendor == "sqlite"
    return writer
