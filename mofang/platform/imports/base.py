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

from django.core.exceptions import ValidationError


@dataclass
class Column:
    key: str
    header: str  # the Chinese header in the template and the file
    required: bool = True
    parse: Callable[[str], object] = str  # raises ValidationError with a Chinese message
    example: str = ""
    help: str = ""


class RowError(Exception):
    """A row-level error (not tied to one cell), e.g. a duplicate natural key."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass
class ImportContext:
    user: object
    org: object  # the org unit the import was started under
    state: dict = field(default_factory=dict)


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

    # --- declarative writing (the platform's writers) ---------------------------------------
    model = None
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
            raise ValidationError("文件中有重复的列：" + "、".join(h for h in repeated if h in known))
        missing = [c.header for c in self.columns if c.required and c.header not in index]
        if missing:
            raise ValidationError("文件缺少必填列：" + "、".join(missing) + "（请使用下载的模板）")
        return {c.key: index[c.header] for c in self.columns if c.header in index}

    def row_parser(self, positions: dict[str, int]) -> Callable[[list[str]], tuple[dict, list | None]]:
        """A function row → (values, errors or None) for this file's column positions.

        Built once per file; the per-row work is a flat loop with no exceptions on good cells.
        """
        plan = tuple((c.key, positions.get(c.key, -1), c.parse, c.required, c.header) for c in self.columns)
        width = max((p for _k, p, *_ in plan), default=-1) + 1

        def parse(row: list[str]) -> tuple[dict, list | None]:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            values = {}
            errors = None
            for key, pos, fn, required, header in plan:
                raw = row[pos].strip() if pos >= 0 else ""
                if not raw:
                    values[key] = None
                    if required:
                        if errors is None:
                            errors = []
                        errors.append((header, f"{header}不能为空"))
                    continue
                try:
                    values[key] = fn(raw)
                except ValidationError as exc:
                    if errors is None:
                        errors = []
                    errors.append((header, "；".join(exc.messages)))
            return values, errors

        return parse

    def parse_cells(self, row: list[str], positions: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
        values, errors = self.row_parser(positions)(row)
        return values, errors or []

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)


IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.code] = importer
    return importer
