"""The embedded Chinese font for every PDF the platform prints (整改通知书, 督办单, 成绩单 …).

reportlab's built-in CID fonts (STSong-Light) are not embedded — the reader's viewer must supply
the glyphs — and the Noto CJK fonts Debian ships are CFF-based OpenType that reportlab cannot
embed. So we use a TrueType CJK font: 文泉驿微米黑 from the Debian package fonts-wqy-microhei
(or fonts-wqy-zenhei / fonts-arphic-uming), or any TrueType file named by MOFANG_CJK_FONT.
reportlab embeds the subset of glyphs used (FontFile2).
"""

import os
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "MofangCJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FONT_PACKAGE = "fonts-wqy-microhei"


class FontMissing(RuntimeError):
    """No embeddable Chinese TrueType font on this machine (the message says what to install)."""


def font_path(candidates=None) -> Path:
    configured = os.environ.get("MOFANG_CJK_FONT")
    for candidate in ([configured] if configured else []) + list(CANDIDATES if candidates is None else candidates):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing(
        f"缺少可嵌入的中文字体，无法生成PDF。请安装 Debian 软件包 {FONT_PACKAGE}"
        f"（apt-get install -y {FONT_PACKAGE}），或用环境变量 MOFANG_CJK_FONT 指定 TrueType 中文字体文件。"
    )


def cjk_font(path_of=font_path) -> str:
    """Register the embeddable Chinese font once (per process) and return its reportlab name."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = path_of()
        # a .ttc collection: its first face (reportlab's default subfontIndex) is the regular one
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    return FONT_NAME


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break Chinese text by width (no spaces to break at), keeping the text's own line breaks."""
    lines = []
    for para in (text or "").splitlines() or [""]:
        line = ""
        for ch in para:
            if pdfmetrics.stringWidth(line + ch, FONT_NAME, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines
