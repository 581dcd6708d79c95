"""xlsx export, shared by every list (SPEC §1.7: 'Lists export to xlsx')."""

import io
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheet_title: str, headers: list[str], rows: Iterable[Iterable]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31] or "Sheet1")
    bold = Font(bold=True)
    head = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        head.append(c)
    ws.append(head)
    for row in rows:
        ws.append([_value(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _value(v):
    if v is None:
        return ""
    if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(v).replace(tzinfo=None)
    if isinstance(v, (int, float, str)) or hasattr(v, "strftime"):
        return v
    return str(v)


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp
