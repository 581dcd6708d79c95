"""A child's 体质健康 report as PDF (A4, the Chinese font embedded by mofang.platform.pdf)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mofang.platform.pdf import FontMissing, cjk_font  # noqa: F401  (FontMissing: for the view)


def report_pdf(student, report, *, compress: bool = True) -> bytes:
    font = cjk_font()
    result = report.result
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=15 * mm,
        title=f"{student.name} 体质健康报告",
        subject=f"fitness-{result.pk}",
        pageCompression=1 if compress else 0,
    )

    def p(text):
        return Paragraph(escape(str(text) if text is not None else ""), cell)

    total = f"{result.total}分 · {result.band}" if result.total is not None else "缺测，暂无总分"
    story = [
        Paragraph(escape("学生体质健康测试报告"), title),
        Spacer(0, 4 * mm),
        Paragraph(
            escape(
                f"{student.name} · {result.school.name} {result.klass.name if result.klass else ''} · "
                f"{result.school_year} · 依据《国家学生体质健康标准（2014年修订）》"
            ),
            body,
        ),
        Spacer(0, 3 * mm),
        Paragraph(escape(f"学年总分：{total}（标准分 {result.base_total or '—'}，附加分 {result.bonus_total}）"), body),
    ]
    if report.graduation is not None:
        story.append(Paragraph(escape(f"毕业成绩：{report.graduation}分 · {report.graduation_band}"), body))
    story.append(Spacer(0, 4 * mm))
    data = [[p("项目"), p("成绩"), p("得分"), p("权重"), p("附加分")]]
    for it in report.items:
        data.append([p(it.label), p(it.value), p(it.score), p(f"{it.weight}%" if it.weight else ""), p(it.bonus or "")])
    table = Table(data, colWidths=[45 * mm, 45 * mm, 25 * mm, 25 * mm, 25 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [table, Spacer(0, 5 * mm), Paragraph(escape("锻炼建议"), body)]
    for line in report.advice:
        story.append(Paragraph(escape(f"· {line}"), body))
    if report.missing:
        story.append(Paragraph(escape(f"缺测项目：{'、'.join(report.missing)}"), body))
    story += [Spacer(0, 6 * mm), Paragraph(escape(f"打印日期：{timezone.localdate():%Y年%m月%d日}"), body)]
    doc.build(story)
    return buf.getvalue()
