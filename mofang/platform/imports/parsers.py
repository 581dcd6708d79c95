"""Cell parsers shared by importers; each raises ValidationError with a Chinese message."""

import datetime as dt
import decimal
import functools
import re
import time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.people import identity
from mofang.platform.text import normalize_code

_DATE_RE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


def parse_date(raw: str) -> dt.date:
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw.isascii():
        try:  # the template's own format, by far the most common: no regex
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    m = _DATE_RE.match(raw.split(" ")[0])
    if not m:
        raise ValidationError(gettext("日期格式应为 2026-09-01"))
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError(gettext("日期不存在")) from None


_SEX = {"男": "M", "M": "M", "m": "M", "1": "M", "女": "F", "F": "F", "f": "F", "2": "F"}


def parse_sex(raw: str) -> str:
    sex = _SEX.get(raw)
    if sex is None:
        raise ValidationError(gettext("性别应填“男”或“女”"))
    return sex


_ID_CHECK = "10X98765432"
_today_text = ("", 0.0)  # (YYYYMMDD, valid until) — timezone.localdate() costs more than the whole check


def _today() -> str:
    global _today_text
    text, until = _today_text
    now = time.time()
    if now >= until:
        today = timezone.localdate()
        text = today.strftime("%Y%m%d")
        midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time()).timestamp()
        _today_text = (text, min(midnight, now + 60))
    return text


@functools.cache
def _is_calendar_day(ymd: str) -> bool:
    try:
        dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError:
        return False
    return True


def parse_id_number(raw: str) -> str:
    """identity.validate_id_number, with a fast path for the numbers that are plainly valid.

    The fast path accepts only what identity accepts (a property test holds the two together);
    anything it does not accept goes to identity, which gives the reason in Chinese.
    """
    v = raw.upper()
    if len(v) == 18:
        body = v[:17]
        if body.isascii() and body.isdigit():
            ymd = v[6:14]
            # weights 2^(17-i) mod 11: the digits read in base 13 (13 ≡ 2 mod 11), doubled
            if "19000101" <= ymd <= _today() and _is_calendar_day(ymd) and _ID_CHECK[2 * int(body, 13) % 11] == v[17]:
                return v
    return identity.validate_id_number(raw)


def parse_mobile(raw: str) -> str:
    return identity.validate_mobile(raw)


def parse_positive_decimal(raw: str, *, places: int = 1, maximum: int = 100) -> decimal.Decimal:
    try:
        value = decimal.Decimal(raw)
    except decimal.InvalidOperation:
        raise ValidationError(gettext("应为数字")) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError(gettext("应为大于0的数字"))
    if value > maximum:
        raise ValidationError(gettext("不能超过{maximum}").format(maximum=maximum))
    if value != value.quantize(decimal.Decimal(1).scaleb(-places)):
        raise ValidationError(gettext("最多保留{places}位小数").format(places=places))
    return value


def parse_code(length: int, label: str):
    def parse(raw: str) -> str:
        code = raw if raw.isascii() and raw.isdigit() else normalize_code(raw)
        # isdigit() alone would let ３３０８ and superscripts through, stored as typed
        if len(code) != length or not (code.isascii() and code.isdigit()):
            raise ValidationError(gettext("{label}应为{length}位数字").format(label=label, length=length))
        return code

    return parse


def parse_text(max_length: int):
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise ValidationError(gettext("不能超过{max_length}个字").format(max_length=max_length))
        return raw

    return parse


def parse_coordinate(low: float, high: float, label: str):
    """经度/纬度 within a range, kept to six decimal places (about 0.1 m)."""

    def parse(raw: str) -> decimal.Decimal:
        try:
            value = decimal.Decimal(raw)
        except decimal.InvalidOperation:
            raise ValidationError(gettext("{label}应为数字").format(label=label)) from None
        if not value.is_finite() or not (low <= value <= high):
            raise ValidationError(gettext("{label}应在{low}到{high}之间").format(label=label, low=low, high=high))
        return value.quantize(decimal.Decimal("0.000001"))

    return parse
