"""The 整改通知书 and 督办单 PDFs embed their Chinese TrueType font and carry the text."""

import re

import pytest

from mofang.governance.supervision import pdf, services

from .conftest import visit_with_problem


def _embedded_text_codes(data: bytes) -> set[int]:
    """Unicode code points named in the embedded font's ToUnicode CMap (uncompressed PDF)."""
    return {int(m, 16) for m in re.findall(rb"<[0-9A-Fa-f]{2}> <([0-9A-Fa-f]{4})>", data)}


@pytest.fixture
def rect(sup):
    finding = visit_with_problem(sup).findings.get()
    return services.issue_notice(
        finding, content="完善食堂留样制度。", term_days=30, major=True, acting_user=sup.inspector_user
    )


@pytest.mark.django_db
def test_the_notice_embeds_its_chinese_font_and_text(rect):
    data = pdf.notice_pdf(rect, compress=False)
    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data  # a TrueType font program is embedded
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYi", data)  # the subset of 文泉驿
    assert re.findall(rb"/BaseFont /(\S+)", data) == [re.search(rb"/BaseFont /(\S+)", data).group(1)]  # no other font
    codes = _embedded_text_codes(data)
    for text in ("整改通知书", "常山县第一小学", "完善食堂留样制度", "挂牌督导", "自签收之日起30日内"):
        assert {ord(ch) for ch in text} <= codes, text


@pytest.mark.django_db
def test_the_supervision_order_after_a_rebound(rect, sup):
    services.reply(rect, comment="已整改。", acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user)
    services.recheck(rect, held=False, note="留样再次缺失", acting_user=sup.inspector_user)
    rect.case.refresh_from_db()
    data = pdf.order_pdf(
        rect, services.supervision_order_number(rect), services.supervision_reason(rect), compress=False
    )
    assert b"/FontFile2" in data
    assert {ord(ch) for ch in "教育督导督办单回头看发现问题反弹留样再次缺失"} <= _embedded_text_codes(data)


def test_a_missing_font_is_a_clear_chinese_error(monkeypatch):
    monkeypatch.setattr(pdf, "CANDIDATES", ("/nonexistent/font.ttc",))
    monkeypatch.delenv("MOFANG_CJK_FONT", raising=False)
    with pytest.raises(pdf.FontMissing, match="缺少可嵌入的中文字体.*fonts-wqy-microhei"):
        pdf.font_path()
