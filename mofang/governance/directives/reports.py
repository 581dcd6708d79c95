"""What the sender sees: counts (签收, 办结, 逾期), the forwarding chain, and the answers as xlsx.

Callers pass querysets already narrowed by the scope layer (visible_to)."""

import io
import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from mofang.platform.imports.exports import _value

from .models import Delivery, Directive


@dataclass
class Counts:
    total: int = 0
    signed: int = 0
    done: int = 0
    overdue: int = 0  # not done after the deadline, or done late

    @property
    def unsigned(self) -> int:
        return self.total - self.signed

    @property
    def pending(self) -> int:
        return self.total - self.done

    @property
    def done_rate(self) -> str:
        return f"{self.done * 100 / self.total:.1f}%" if self.total else "—"


def _count_kwargs(now):
    return dict(
        total=Count("pk"),
        signed=Count("pk", filter=Q(signed_at__isnull=False)),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        overdue=Count("pk", filter=Q(late=True) | Q(done_at__isnull=True, directive__deadline__lt=now)),
    )


def counts(deliveries) -> Counts:
    return Counts(**deliveries.aggregate(**_count_kwargs(timezone.now())))


def chain(deliveries, directive: Directive) -> dict[int, dict]:
    """For each delivery of `directive` that was forwarded: the child directives and the summed
    counts of their own deliveries (`deliveries` = the viewer's scoped Delivery queryset)."""
    now = timezone.now()
    rows = (
        deliveries.filter(directive__parent_delivery__directive=directive)
        .values("directive__parent_delivery_id", "directive_id")
        .annotate(**_count_kwargs(now))
    )
    out: dict[int, dict] = {}
    for r in rows:
        entry = out.setdefault(r["directive__parent_delivery_id"], {"children": [], "counts": Counts()})
        entry["children"].append(r["directive_id"])
        c = entry["counts"]
        c.total += r["total"]
        c.signed += r["signed"]
        c.done += r["done"]
        c.overdue += r["overdue"]
    return out


def _display(field, value) -> str:
    if value in (None, ""):
        return ""
    if field.ftype == "file":
        return value.get("name", "") if isinstance(value, dict) else str(value)
    return value


def _number_or_text(field_type: str, value):
    if field_type == "number" and value not in ("", None):
        try:
            return float(value) if "." in str(value) else int(value)
        except ValueError:
            return value
    return value


def answers_xlsx(directive: Directive, deliveries) -> bytes:
    """One row per unit, one column per field; each table field on a sheet of its own (one row
    per table row, with the unit); file fields as their file names."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    fields = list(directive.fields.all())
    plain = [f for f in fields if f.ftype != "table"]
    tables = [f for f in fields if f.ftype == "table"]
    wb = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str]):
        ws = wb.create_sheet(title)
        cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        return ws

    ws = sheet(
        "填报汇总", ["单位", "单位代码", "状态", "签收时间", "填报时间", "是否逾期", "回复", *[f.label for f in plain]]
    )
    rows = list(deliveries.select_related("unit", "directive").order_by("unit__path"))
    for d in rows:
        ws.append(
            [
                d.unit.name,
                d.unit.code or "",
                d.status_label,
                _value(d.signed_at),
                _value(d.answered_at),
                "是" if d.overdue() else "否",
                d.reply,
                *[_number_or_text(f.ftype, _display(f, d.answer.get(f.key))) for f in plain],
            ]
        )
    used = {"填报汇总"}
    for f in tables:
        title = re.sub(r"[\[\]:*?/\\]", "_", f.label)[:28]
        while title in used:
            title = title[:26] + "_2"
        used.add(title)
        table = sheet(title, ["单位", "单位代码", "行号", *[c["label"] for c in f.columns]])
        for d in rows:
            for n, row in enumerate(d.answer.get(f.key) or [], 1):
                table.append(
                    [
                        d.unit.name,
                        d.unit.code or "",
                        n,
                        *[_number_or_text(c["ftype"], v) for c, v in zip(f.columns, row)],
                    ]
                )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["Counts", "Delivery", "answers_xlsx", "chain", "counts"]
