"""Printable 整改通知 and 督办单 as PDF, with the Chinese font EMBEDDED (issue 4; the font is
registered by mofang.platform.pdf, shared with the other printable documents).

reportlab's built-in CID fonts (STSong-Light) are not embedded — the reader's viewer must supply
the glyphs — and the Noto CJK fonts Debian ships are CFF-based OpenType that reportlab cannot
embed. So we use a TrueType CJK font: 文泉驿微米黑 from the Debian package fonts-wqy-microhei
(or fonts-wqy-zenhei / fonts-arphic-uming), or any TrueType file named by MOFANG_CJK_FONT.
reportlab embeds the subset of glyphs used (FontFile2).
"""

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from mofang.platform import pdf as shared
from mofang.platform.pdf import CANDIDATES, FONT_NAME, FONT_PACKAGE, FontMissing  # noqa: F401
from mofang.platform.pdf import wrap as _wrap


def font_path():
    return shared.font_path(CANDIDATES)


def _font() -> str:
    return shared.cjk_font(font_path)


def _document(
    title: str,
    number: str,
    rows: list[tuple[str, str]],
    body_title: str,
    body: str,
    closing: str,
    issuer: str,
    *,
    compress: bool = True,
) -> bytes:
    font = _font()
    buf = io.BytesIO()
    # types-reportlab declares initialFontName a float (a stub error): the font's name is what reportlab takes
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1 if compress else 0, initialFontName=font)  # type: ignore[arg-type]
    c.setTitle(f"{title} {number}")
    c.setSubject(number)  # plain ASCII in the document info: the number can be found without the font
    w, h = A4
    left, right = 25 * mm, w - 25 * mm
    y = h - 30 * mm
    c.setFont(font, 22)
    c.drawCentredString(w / 2, y, title)
    y -= 10 * mm
    c.setFont(font, 11)
    c.drawCentredString(w / 2, y, f"编号：{number}")
    y -= 12 * mm
    c.setFont(font, 12)
    for label, value in rows:
        for i, line in enumerate(_wrap(value, right - left - 30 * mm, 12)):
            if i == 0:
                c.drawString(left, y, f"{label}：")
            c.drawString(left + 30 * mm, y, line)
            y -= 7 * mm
    y -= 4 * mm
    c.setFont(font, 13)
    c.drawString(left, y, body_title)
    y -= 8 * mm
    c.setFont(font, 12)
    for line in _wrap(body, right - left, 12):
        if y < 40 * mm:
            c.showPage()
            c.setFont(font, 12)
            y = h - 30 * mm
        c.drawString(left, y, line)
        y -= 7 * mm
    y -= 6 * mm
    for line in _wrap(closing, right - left, 12):
        c.drawString(left, y, line)
        y -= 7 * mm
    y = max(y - 10 * mm, 30 * mm)
    c.drawRightString(right, y, issuer)
    c.drawRightString(right, y - 7 * mm, f"{timezone.localdate():%Y年%m月%d日}")
    c.showPage()
    c.save()
    return buf.getvalue()


def notice_pdf(rect, *, compress: bool = True) -> bytes:
    """整改通知书: to the school, the problem, what to rectify, the term, 挂牌督导 if so."""
    case = rect.case
    finding = rect.finding
    rows = [
        ("被督导单位", rect.school.name),
        ("下达日期", f"{timezone.localtime(case.opened_at):%Y年%m月%d日}"),
        ("整改期限", f"自签收之日起{rect.term_days}日内完成整改并报告整改结果"),
        ("当前状态", case.state_label),
    ]
    if finding is not None:
        rows.insert(1, ("督查问题", finding.description))
    if rect.major:
        rows.append(("督导方式", "挂牌督导"))
    return _document(
        "整改通知书",
        case.number or "",
        rows,
        "整改内容及要求：",
        case.description,
        "请被督导单位针对存在的问题立行立改、真改实改，按期向教育督导机构报告整改结果，并向社会公布整改情况。"
        "逾期未整改或整改不到位的，将下发督办单。",
        f"{rect.county.name}人民政府教育督导室",
        compress=compress,
    )


def order_pdf(rect, number: str, reason: str, *, compress: bool = True) -> bytes:
    """督办单: issued when a rectification is overdue or the problem came back (回头看)."""
    case = rect.case
    rows = [
        ("被督办单位", rect.school.name),
        ("原整改通知", case.number or ""),
        ("督办时间", f"{timezone.localtime(case.supervised_at):%Y年%m月%d日}" if case.supervised_at else ""),
        ("督办事由", reason),
        ("当前状态", case.state_label),
    ]
    if rect.major:
        rows.append(("督导方式", "挂牌督导"))
    return _document(
        "教育督导督办单",
        number,
        rows,
        "原整改内容：",
        case.description,
        "请被督办单位高度重视，限期整改到位，并将整改结果书面报告教育督导室。",
        f"{rect.county.name}人民政府教育督导室",
        compress=compress,
    )
