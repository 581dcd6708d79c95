"""统一社会信用代码 (GB 32100-2015) and the 组织机构代码 inside it (GB 11714-1997).

18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6),
主体标识码 = 组织机构代码 (9, with its own check character), 校验码 (1). The alphabet is
0-9 and A-Z without I, O, Z, S, V (31 characters); the check character is the one that makes
Σ value(c_i)·3^i mod 31 come out to 0 (weights 3^i mod 31, i = 0…16).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.text import normalize_code

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body (0-9, A-Z)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def normalize(raw: str) -> str:
    """Full-width ＡＢ１２ as AB12, no spaces, upper case (the platform's one normalisation)."""
    return normalize_code(raw)


def validate_credit_code(raw: str) -> str:
    """The normalized code, or ValidationError with a Chinese message naming the field."""
    code = normalize(raw)
    label = "统一社会信用代码"
    if not code:
        raise ValidationError(gettext("{label}：请填写").format(label=label))
    if len(code) != 18:
        raise ValidationError(gettext("{label}：应为18位（现为{value}位）").format(label=label, value=len(code)))
    bad = sorted({c for c in code if c not in VALUE})
    if bad:
        raise ValidationError(
            gettext("{label}：含有不允许的字符「{value}」（不使用I、O、Z、S、V）").format(
                label=label, value="、".join(bad)
            )
        )
    if not code[2:8].isdigit():
        raise ValidationError(gettext("{label}：第3至8位应为行政区划代码（6位数字）").format(label=label))
    if check_char(code[:17]) != code[17]:
        raise ValidationError(gettext("{label}：校验码错误，请核对").format(label=label))
    if org_check_char(code[8:16]) != code[16]:
        raise ValidationError(gettext("{label}：其中的组织机构代码（第9至17位）校验码错误，请核对").format(label=label))
    return code


def make_credit_code(prefix2: str, region6: str, body8: str) -> str:
    """A valid code from its parts (for demo data and tests)."""
    if any(c not in VALUE for c in prefix2 + body8):
        raise ValueError("characters outside GB 32100's alphabet")
    first17 = f"{prefix2}{region6}{body8}{org_check_char(body8)}"
    return first17 + check_char(first17)
