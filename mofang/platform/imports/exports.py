"""Exports, shared by every list and module (SPEC §1.7: 'Lists export to xlsx'; §1.4: audited).

Every export of data writes exactly one audit row (导出) through this module, never from a view:
`export_xlsx` builds the workbook and records it; a file built otherwise (a PDF, a module's own
workbook) is recorded with `record_export`. `xlsx_response` only wraps the bytes for the browser.
"""

import io
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse

from mofang.platform.audit.services import AuditAction, record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(
    *,
    acting_user,
    sheet_title: str,
    headers: list[str],
    rows: Iterable[Iterable],
    summary: str,
    org=None,
    obj=None,
    after: dict | None = None,
) -> bytes:
    """The xlsx of an export (headers, then rows), its audit row written: the one way to export."""
    content = xlsx_bytes(sheet_title, headers, rows)
    record_export(acting_user=acting_user, summary=summary, org=org, obj=obj, after=after)
    return content


def record_export(*, acting_user, summary: str, org=None, obj=None, after: dict | None = None):
    """The audit row of one export whose file was built elsewhere (a PDF, a module's own workbook).
    `org` (or `obj`'s org) decides who may see the row, as for every audit row."""
    return record(actor=acting_user, action=AuditAction.EXPORT, summary=summary, obj=obj, org=org, after=after)


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
