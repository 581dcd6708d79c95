"""Reading what bureaus send: xlsx, or CSV in UTF-8 (with or without BOM) or GBK/GB18030.

Files are streamed, never loaded whole: a province's student roll is a million rows. A table can
be read twice — once to import, and again to copy the bad rows into the annotated error file.
"""

import codecs
import csv
import itertools
import zipfile
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

_BLOCK = 1 << 20
HEADER_SCAN_ROWS = 10  # a title, a date line, a blank row … the header is among the first rows
_ENCODINGS = ("utf-8-sig", "gb18030")
_UNREADABLE_XLSX = "无法读取 xlsx 文件：文件已损坏或不是 Excel 2007 及以上格式"


def decode_csv(raw: bytes) -> str:
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(gettext("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 xlsx 文件"))


def sniff_csv(path: str) -> tuple[str, int]:
    """(encoding, number of line breaks), checking the whole file block by block.

    A GBK file is often plain ASCII for its first thousand rows, so a sample is not enough.
    """
    for encoding in _ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with open(path, "rb") as fh:
                while block := fh.read(_BLOCK):
                    decoder.decode(block)
                    lines += block.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise ValidationError(gettext("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 xlsx 文件"))


def _cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


@dataclass
class Table:
    """An uploaded file opened for reading: its header, an approximate row count, and its rows.

    `rows()` starts from the first data row each time it is called; cells are strings as written
    (CSV cells unstripped — the importer strips what it reads). `header_line` is the header's row
    number in the file (1 unless a title sits above it); data rows follow it, so a row's number in
    an error report is the spreadsheet's own.
    """

    path: str
    kind: str  # "csv" or "xlsx"
    header: list[str]
    total: int
    encoding: str = ""
    header_line: int = 1

    def rows(self) -> Iterator[list[str]]:
        if self.kind == "csv":
            return self._csv_rows()
        return self._xlsx_rows()

    def _csv_rows(self) -> Iterator[list[str]]:
        with open(self.path, encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh)
            for _ in range(self.header_line):
                next(reader, None)
            yield from reader

    def _xlsx_rows(self) -> Iterator[list[str]]:
        wb = _open_workbook(self.path)
        try:
            for row in wb.worksheets[0].iter_rows(min_row=self.header_line + 1, values_only=True):
                yield [_cell(v) for v in row]
        finally:
            wb.close()  # read-only workbooks keep the file open until closed


@contextmanager
def _readable_xlsx() -> Iterator[None]:
    """What openpyxl raises on a file that is no readable workbook, as one Chinese ValidationError:
    not a zip or cut short (BadZipFile, EOFError, zlib.error), a zip without the workbook's parts
    (KeyError) or without a sheet (IndexError), broken XML inside (a SyntaxError, as ElementTree's
    and lxml's ParseError are), an unsupported format or compression (InvalidFileException,
    NotImplementedError), a value it cannot parse (ValueError, TypeError)."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        yield
    except (
        zipfile.BadZipFile,
        EOFError,
        zlib.error,
        KeyError,
        IndexError,
        SyntaxError,
        InvalidFileException,
        NotImplementedError,
        ValueError,
        TypeError,
    ):
        raise ValidationError(_UNREADABLE_XLSX) from None


def _open_workbook(path: str):
    import openpyxl

    with _readable_xlsx():
        return openpyxl.load_workbook(path, read_only=True, data_only=True)


def find_header(rows: list[list[str]], expect: Collection[str]) -> int:
    """The index among `rows` (the file's first rows) of the header: the first row holding every
    expected column name, else the one holding most of them, else the first row."""
    if not expect:
        return 0
    want = set(expect)
    best, best_count = 0, 0
    for i, row in enumerate(rows):
        count = len(want.intersection(row))
        if count == len(want):
            return i
        if count > best_count:
            best, best_count = i, count
    return best


def open_table(path: str, filename: str, expect: Collection[str] = ()) -> Table:
    """Open an uploaded file by its name's extension; raises ValidationError in Chinese.

    `expect` (the required column names) finds the header below a title row, e.g. a merged
    「常山县2026年教职工名册」 above the real header: the first rows are scanned for it.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        wb = _open_workbook(path)
        try:
            with _readable_xlsx():
                ws = wb.worksheets[0]
                first = [[_cell(v) for v in row] for row in ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)]
                max_row = ws.max_row or 1
        finally:
            wb.close()
        at = find_header(first, expect)
        header = first[at] if first else []
        return Table(path, "xlsx", header, max(max_row - at - 1, 0), header_line=at + 1)
    if name.endswith(".csv"):
        encoding, lines = sniff_csv(path)
        with open(path, encoding=encoding, newline="") as fh:
            first = [[h.strip() for h in row] for row in itertools.islice(csv.reader(fh), HEADER_SCAN_ROWS)]
        at = find_header(first, expect)
        header = first[at] if first else []
        return Table(path, "csv", header, max(lines - at - 1, 0), encoding, header_line=at + 1)
    raise ValidationError(gettext("仅支持 xlsx 或 csv 文件"))


def read_table(path: str, filename: str) -> tuple[list[str], Iterator[list[str]], int]:
    """Return (header, rows, approximate row count). Rows are lists of stripped strings."""
    table = open_table(path, filename)
    return table.header, ([c.strip() for c in row] for row in table.rows()), table.total
