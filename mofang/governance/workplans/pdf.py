"""The year-end 成绩单 of a list as PDF (A4, the Chinese font embedded by mofang.platform.pdf)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mofang.platform.pdf import FontMissing, cjk_font  # noqa: F401  (FontMissing: for the view)

STATUS_COLOURS = {"按进度完成": "#1a7f37", "超额完成": "#0b5cad", "滞后": "#c62828", "未开始": "#666666"}


def scorecard_pdf(plan, rows, summary: str, *, compress: bool = True) -> bytes:
    """rows: (item, Evaluation, figure text) in item order."""
    font = cjk_font()
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        subject=f"workplan-{plan.pk}",
        bottomMargin=15 * mm,
        title=f"{plan.name} 成绩单",
        pageCompression=1 if compress else 0,
    )
    story = [
        Paragraph(escape(f"{plan.name}成绩单"), title),
        Spacer(0, 4 * mm),
        Paragraph(escape(f"{plan.owner.name} · {plan.year}年 · 截至{timezone.localdate():%Y年%m月%d日}"), body),
        Spacer(0, 2 * mm),
        Paragraph(escape(summary), body),
        Spacer(0, 5 * mm),
    ]

    def p(text):
        return Paragraph(escape(text or ""), cell)

    data = [[p("序号"), p("事项与目标任务"), p("牵头单位"), p("完成情况"), p("状态")]]
    for item, ev, figure in rows:
        progress = ev.latest.text if ev.latest is not None else ""
        if figure:
            progress = f"{figure}；{progress}" if progress else figure
        if ev.basis == "measured" and ev.as_of:
            progress += f"（数据截至{timezone.localtime(ev.as_of):%Y-%m-%d %H:%M}）"
        colour = STATUS_COLOURS.get(ev.label, "#000000")
        data.append(
            [
                p(str(item.number)),
                Paragraph(f"<b>{escape(item.title)}</b><br/>{escape(item.target_text)}", cell),
                p(item.lead_unit.name),
                p(progress or "—"),
                Paragraph(f'<font color="{colour}">{escape(ev.label)}</font>', cell),
            ]
        )
    table = Table(data, colWidths=[12 * mm, 78 * mm, 26 * mm, 47 * mm, 17 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story += [
        Spacer(0, 8 * mm),
        Paragraph(escape(f"{plan.owner.name}教育局"), ParagraphStyle("r", parent=body, alignment=2)),
    ]
    doc.build(story)
    return buf.getvalue()
