"""Text hygiene for everything typed, pasted or imported: one place for every module.

- `normalize_code`: ID numbers, phone numbers and codes typed with full-width or other
  non-ASCII digits (３３０８…, ٣٣٠…) become the ASCII form, so one child hashes to one value.
- Control characters (C0 except tab, line feed and carriage return; DEL and C1) are invisible,
  break xlsx exports (openpyxl refuses them) and PostgreSQL refuses NUL: `find_control` and
  `strip_control` for input, `xlsx_safe` for what is already stored.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

_SPACE_RE = re.compile(r"\s+")
# C0 except \t \n \r, then DEL and C1
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE), plus DEL and C1, which Excel shows as boxes
_XLSX_ILLEGAL_RE = CONTROL_RE

CONTROL_MESSAGE = "含有不可见的控制字符（如空字符），请删除后重新填写"


def normalize_code(value) -> str:
    """NFKC, every Unicode decimal digit as its ASCII digit, no whitespace anywhere, upper case.

    The one normalisation of identifiers (身份证号, 手机号, 学籍号, 统一社会信用代码 …): what is left
    that is not ASCII is for the caller's validator to refuse by name.
    """
    text = unicodedata.normalize("NFKC", str(value or ""))
    if not text.isascii():
        text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return _SPACE_RE.sub("", text).upper()


def refuse_non_ascii(value: str, label: str, allowed: str) -> None:
    """ValidationError naming the field when `value` (already normalised) has non-ASCII characters."""
    bad = sorted({c for c in value if not c.isascii()})
    if bad:
        raise ValidationError(
            gettext("{label}含有不允许的字符「{value}」，只能填写{allowed}").format(
                label=label, value="、".join(bad), allowed=allowed
            ),
            code="charset",
        )


def find_control(value: str) -> str | None:
    """The first control character in `value`, or None."""
    m = CONTROL_RE.search(value)
    return m.group() if m else None


def strip_control(value: str) -> str:
    return CONTROL_RE.sub("", value) if value else value


def xlsx_safe(value):
    """A cell value openpyxl will write: strings lose their control characters; others pass."""
    if isinstance(value, str) and _XLSX_ILLEGAL_RE.search(value):
        return _XLSX_ILLEGAL_RE.sub("", value)
    return value


_CONTROL_BUT_NUL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@deconstructible
class ProhibitControlCharacters:
    """Form-field validator: refuses control characters with a Chinese message.

    nul=False leaves NUL to a validator that already refuses it (Django's CharField has one),
    so that a field does not show the same message twice.
    """

    message = CONTROL_MESSAGE
    code = "control_characters"

    def __init__(self, nul: bool = True):
        self.nul = nul

    def __call__(self, value):
        if isinstance(value, str) and (CONTROL_RE if self.nul else _CONTROL_BUT_NUL_RE).search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ProhibitControlCharacters) and other.nul == self.nul


def pinyin_initials(text: str) -> str:
    """Pinyin first letters, for searching by initials ("杭州小学" → "hzxx"); letters and digits in
    the text are kept as they are."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())[:100]
