"""Reading what bureaus send: xlsx, or CSV in UTF-8 (with or without BOM) or GBK/GB18030."""

import csv
import io
from collections.abc import Iterator

from django.core.exceptions import ValidationError


def decode_csv(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 xlsx 文件")


def _cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_table(path: str, filename: str) -> tuple[list[str], Iterator[list[str]], int]:
    """Return (header, rows, approximate row count). Rows are lists of stripped strings."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:
            raise ValidationError("无法读取 xlsx 文件：文件已损坏或不是 Excel 2007 及以上格式") from None
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [_cell(v) for v in next(it, ())]
        total = max((ws.max_row or 1) - 1, 0)
        return header, ([_cell(v) for v in row] for row in it), total
    if name.endswith(".csv"):
        with open(path, "rb") as fh:
            text = decode_csv(fh.read())
        total = text.count("\n")
        reader = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(reader, [])]
        return header, ([c.strip() for c in row] for row in reader), total
    raise ValidationError("仅支持 xlsx 或 csv 文件")
