"""The one import path (SPEC §1.7). A module declares an Importer; the platform does the rest:
template, reading, row-by-row validation with Chinese errors per row and column, idempotent
upsert by natural key, all-or-nothing, progress, and an annotated error file.

An importer says what the columns are and how a row is checked (`columns`, `prepare`,
`clean_row`). How rows reach the database is the platform's business: declare `model`,
`db_fields` and `to_db_row`, and the platform picks the writer for the database (PostgreSQL:
COPY into a staging table, then one INSERT … ON CONFLICT; elsewhere: bulk upsert through the
ORM). An importer whose rows are not plain upserts (creating tree nodes, posting ledger
entries) overrides `write` instead and gets its cleaned rows in chunks.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from mofang.platform.text import CONTROL_MESSAGE, CONTROL_RE, strip_control


@dataclass
class Column:
    key: str
    header: str  # the Chinese header in the template and the file
    required: bool = True
    parse: Callable[[str], object] = str  # raises ValidationError with a Chinese message
    example: str = ""
    help: str = ""


class RowError(Exception):
    """A row-level error (not tied to one cell), e.g. a duplicate natural key. `RowError.several`
    reports more than one (column, message) of the same row at once."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column
        self.errors = [(column, message)]

    @classmethod
    def several(cls, errors: list[tuple[str, str]]) -> "RowError":
        exc = cls(errors[0][1], errors[0][0])
        exc.errors = list(errors)
        return exc


@dataclass
class ImportContext:
    user: object
    org: object  # the org unit the import was started under
    state: dict = field(default_factory=dict)
    target: object = None  # what the rows are imported into, for an importer with a `target_param`
    confirmed: bool = False  # the person confirmed the anomalies a first run found (确认导入)


class Importer:
    """Subclass per entity. `clean_row` turns a parsed row into a model-ready dict (or raises
    RowError). Then either declare `model` + `db_fields` + `to_db_row` (the platform writes), or
    override `write`, which upserts a chunk of cleaned rows and returns (created, updated)."""

    code: str = ""
    title: str = ""
    permission: str = ""
    columns: list[Column] = []
    natural_key: str = ""  # a column key; with `model`, also the model's unique field of that name
    chunk_size: int = 5000
    # Said instead of the reader's own message when the file cannot be read (e.g. which template to use).
    unreadable_message: str = ""

    # --- imports into one object (the items of one work plan) --------------------------------
    # The query parameter of the upload page naming the object (e.g. "plan"); such an importer is
    # started from its module's page, not listed on the import index.
    target_param: str = ""

    def resolve_target(self, user, value):
        """The object named by `value` if `user` may import into it (through the scope layer), else None."""
        return None

    def target_org(self, target):
        """The org unit an import into `target` belongs to (its job and audit entry)."""
        raise NotImplementedError

    # --- declarative writing (the platform's writers) ---------------------------------------
    model: type[models.Model] | None = None
    # Model field names (attnames for foreign keys, e.g. "school_id") that `to_db_row` fills, in order.
    db_fields: tuple[str, ...] = ()
    # Ciphertext field → its lookup-hash field. Sealing the same value twice gives different
    # ciphertext, so on re-import the ciphertext is rewritten only when the hash changed.
    sealed_fields: dict[str, str] = {}

    def prepare(self, ctx: ImportContext) -> None:
        """Load look-ups once (codes → ids within the user's scope)."""

    def clean_row(self, values: dict, ctx: ImportContext) -> dict:
        return values

    def to_db_row(self, row: dict, ctx: ImportContext) -> tuple:
        """The cleaned row as a tuple of values for `db_fields`."""
        return tuple(row[f] for f in self.db_fields)

    def write(self, rows: list[dict], ctx: ImportContext) -> tuple[int, int]:
        raise NotImplementedError

    def anomalies(self, ctx: ImportContext) -> list[str]:
        """After every row passed its checks and before anything is written: what is plausible row
        by row but not as a whole (e.g. 358,000 staff in one school, one ID number under many
        工号), in Chinese. Any → nothing is written; the job page asks 确认导入, which runs the
        file again with `ctx.confirmed` set, when this is not called."""
        return []

    def after_write(self, ctx: ImportContext) -> None:
        """Called inside the import's transaction after the rows are written (set-based follow-ups,
        such as the roll's history rows for the students just created)."""

    # --- follow-ups chunk by chunk (the pipelined PostgreSQL writer) -----------------------
    def chunk_follow_ups(self, ctx: ImportContext) -> list[tuple[str, list]] | None:
        """What `after_write` does, for the rows a chunk's upsert CREATED, as statements (SQL,
        params) run inside that upsert as data-modifying WITH queries over `w`: the rows written,
        every column of the table plus the boolean `mofang_created`. None (the default): not
        supported, see after_chunk."""
        return None

    def created_follow_ups(self, ctx: ImportContext) -> list[tuple[str, list]] | None:
        """Lets the pipelined writer COPY the rows whose natural key is new (as a bare COPY would)
        instead of upserting them: the statements (SQL, params) that write what goes with those
        rows, run after each COPY with the first and the last id of the rows it wrote appended to
        `params` (their ids are consecutive), so PostgreSQL writes them from the rows themselves
        (`INSERT … SELECT … WHERE id BETWEEN %s AND %s`). [] when creating a row needs nothing
        more; None (the default) to upsert every row."""
        return None

    def after_chunk(self, ctx: ImportContext, stage: str, key: str) -> bool:
        """What `after_write` does, for the rows of one chunk (the temporary table `stage`, whose
        natural-key column is `key`), after its upsert; called when the chunk updated any row, or
        for every chunk when `chunk_follow_ups` is None. Return True when done; False (the
        default) and `after_write` runs once, after the last chunk, instead."""
        return False

    @property
    def writes_itself(self) -> bool:
        """True when the importer overrides `write` rather than declaring its model."""
        return type(self).write is not Importer.write

    # --- shared machinery -------------------------------------------------------------
    def header_map(self, header: list[str]) -> dict[str, int]:
        """Column key → index in the file; raises ValidationError naming missing columns."""
        index: dict[str, int] = {}
        repeated = []
        for i, h in enumerate(header):
            if h in index and h and h not in repeated:
                repeated.append(h)
            index.setdefault(h, i)
        known = {c.header for c in self.columns}
        if repeated and any(h in known for h in repeated):
            raise ValidationError(
                gettext("文件中有重复的列：{columns}").format(columns="、".join(h for h in repeated if h in known))
            )
        missing = [c.header for c in self.columns if c.required and c.header not in index]
        if missing:
            raise ValidationError(
                gettext("文件缺少必填列：{columns}（请使用下载的模板）").format(columns="、".join(missing))
            )
        return {c.key: index[c.header] for c in self.columns if c.header in index}

    def row_parser(self, positions: dict[str, int]) -> Callable[[list[str]], tuple[dict, list | None]]:
        """A function row → (values, errors or None) for this file's column positions.

        Built once per file as straight-line code, one block per column (as dataclasses builds
        __init__): a loop over the columns costs more than the checks themselves on a
        million-row roll. Values of cells that failed are None.
        """
        width = max((positions.get(c.key, -1) for c in self.columns), default=-1) + 1
        mapped = [(positions[c.key], c.header) for c in self.columns if c.key in positions]
        env: dict[str, Any] = {
            "ValidationError": ValidationError,
            "_failed": _failed,
            "_missing": _missing,
            "_control": CONTROL_RE.search,
            "_controls": _controls,
            "mapped": mapped,
        }
        lines = [
            "def parse(row):",
            f"    if len(row) < {width}:",
            f"        row = row + [''] * ({width} - len(row))",
            "    errors = None",
            # NUL and other control characters: one search a row; the cells are reported, then read without them
            "    if _control(''.join(row)) is not None:",
            "        errors, row = _controls(row, mapped)",
        ]
        for i, col in enumerate(self.columns):
            env[f"parse{i}"], env[f"header{i}"] = col.parse, col.header
            pos = positions.get(col.key)
            if pos is None:
                lines.append(f"    v{i} = None")
                if col.required:
                    lines.append(f"    errors = _missing(errors, header{i})")
                continue
            lines += [
                f"    raw = row[{pos}].strip()",
                "    if raw:",
                "        try:",
                f"            v{i} = parse{i}(raw)",
                "        except ValidationError as exc:",
                f"            v{i} = None",
                f"            errors = _failed(errors, header{i}, exc)",
                "    else:",
                f"        v{i} = None",
            ]
            if col.required:
                lines.append(f"        errors = _missing(errors, header{i})")
        keys = ", ".join(f"{c.key!r}: v{i}" for i, c in enumerate(self.columns))
        lines.append(f"    return {{{keys}}}, errors")
        exec("\n".join(lines), env)
        return env["parse"]

    def parse_cells(self, row: list[str], positions: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
        values, errors = self.row_parser(positions)(row)
        return values, errors or []

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)

    def duplicate_message(self, value, first_line: int) -> str:
        """The error of a row repeating an earlier row's natural key."""
        return f"与第{first_line}行重复"


def _missing(errors: list | None, header: str) -> list:
    errors = errors or []
    errors.append((header, f"{header}不能为空"))
    return errors


def _controls(row: list[str], mapped: list[tuple[int, str]]) -> tuple[list | None, list[str]]:
    """Errors for the importer's cells holding control characters, and the row without them."""
    errors = [(header, f"{header}{CONTROL_MESSAGE}") for pos, header in mapped if CONTROL_RE.search(row[pos])]
    return errors or None, [strip_control(c) for c in row]


def _failed(errors: list | None, header: str, exc: ValidationError) -> list:
    errors = errors or []
    errors.append((header, "；".join(exc.messages)))
    return errors


IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.code] = importer
    return importer
