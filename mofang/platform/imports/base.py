"""The one import path (SPEC §1.7). A module declares an Importer; the platform does the rest:
template, reading, row-by-row validation with Chinese errors per row and column, idempotent
upsert by natural key, all-or-nothing, progress, and an annotated error file."""

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
    RowError); `write` upserts a chunk of cleaned rows and returns (created, updated)."""

    code: str = ""
    title: str = ""
    permission: str = ""
    columns: list[Column] = []
    natural_key: str = ""
    chunk_size: int = 5000

    def prepare(self, ctx: ImportContext) -> None:
        """Load look-ups once (codes → ids within the user's scope)."""

    def clean_row(self, values: dict, ctx: ImportContext) -> dict:
        return values

    def write(self, rows: list[dict], ctx: ImportContext) -> tuple[int, int]:
        raise NotImplementedError

    # --- shared machinery -------------------------------------------------------------
    def header_map(self, header: list[str]) -> dict[str, int]:
        """Column key → index in the file; raises ValidationError naming missing columns."""
        index = {h: i for i, h in enumerate(header)}
        missing = [c.header for c in self.columns if c.required and c.header not in index]
        if missing:
            raise ValidationError("文件缺少必填列：" + "、".join(missing) + "（请使用下载的模板）")
        return {c.key: index[c.header] for c in self.columns if c.header in index}

    def parse_cells(self, row: list[str], positions: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
        values, errors = {}, []
        n = len(row)
        for col in self.columns:
            pos = positions.get(col.key)
            raw = row[pos] if pos is not None and pos < n else ""
            if raw == "":
                if col.required:
                    errors.append((col.header, f"{col.header}不能为空"))
                values[col.key] = None
                continue
            try:
                values[col.key] = col.parse(raw)
            except ValidationError as exc:
                errors.append((col.header, "；".join(exc.messages)))
        return values, errors


IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.code] = importer
    return importer
