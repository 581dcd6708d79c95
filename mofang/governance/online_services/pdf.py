"""学籍证明 / 在读证明 as PDF (A4, the Chinese font embedded by mofang.platform.pdf), with the
verification code and the address of the public verification page."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from mofang.platform.pdf import FontMissing, cjk_font  # noqa: F401  (FontMissing: for the view)


def certificate_pdf(cert, *, verify_url: str, compress: bool = True) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("t", fontName=font, fontSize=22, leading=32, alignment=1, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font, fontSize=13, leading=24, wordWrap="CJK", firstLineIndent=26)
    small = ParagraphStyle("s", fontName=font, fontSize=10, leading=16, wordWrap="CJK")
    right = ParagraphStyle("r", fontName=font, fontSize=13, leading=24, alignment=2, wordWrap="CJK")
    kind = cert.get_kind_display()
    grade = f"{cert.grade_label}" if cert.grade_label else ""
    if cert.kind == "study_certificate":
        text = f"兹证明{cert.student_name}同学系我校{grade}在读学生。"
    else:
        text = f"兹证明{cert.student_name}同学在我校具有正式学籍，{grade}，截至出具之日学籍状态为{cert.status_label}。"
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=30 * mm,
        bottomMargin=20 * mm,
        title=kind,
        subject=f"certificate-{cert.code}",
        pageCompression=1 if compress else 0,
    )
    story = [
        Paragraph(escape(kind), title),
        Spacer(0, 12 * mm),
        Paragraph(escape(text), body),
        Paragraph(escape("特此证明。"), body),
        Spacer(0, 20 * mm),
        Paragraph(escape(cert.school_name), right),
        Paragraph(escape(f"{cert.issued_on:%Y年%m月%d日}"), right),
        Spacer(0, 25 * mm),
        Paragraph(escape(f"验证码：{cert.code}"), small),
        Paragraph(escape(f"验证网址：{verify_url}（输入验证码核对本证明的真伪）"), small),
        Paragraph(escape(f"申请编号：{cert.application.case.number}"), small),
    ]
    doc.build(story)
    return buf.getvalue()
