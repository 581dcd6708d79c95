"""Scoring by 《国家学生体质健康标准（2014年修订）》: pure functions, no database.

The rules as implemented (docs/fitness-scoring.md says the same, with the checks of the tables):

- BMI = 体重(kg) / 身高(m)², rounded half up to one decimal; its class and score (正常 100, 低体重 80,
  超重 80, 肥胖 60) from the grade's and sex's bands (低体重 ≤ a, 正常 a+0.1 ~ b, 超重 b+0.1 ~ c, 肥胖 ≥ c+0.1).
- A measured value is first read as the standard's test methods record it: 50米跑 to 0.1 s and
  50米×8往返跑 / 1000米 / 800米 to whole seconds, any further fraction rounded UP (非0进1); counts are
  whole numbers; other values are used as given.
- An item's score is that of the highest step whose threshold the value reaches (times: at or
  below); below the lowest step scores 0.
- 标准分 (base_total) = Σ score × weight (权重, %), computed exactly and rounded half up to one decimal.
- 附加分 (bonus): 小学 一分钟跳绳 above its 100-point count, up to 20; 初中/高中 引体向上 (男) or 一分钟仰卧起坐 (女)
  above the 100-point count and 1000米 (男) or 800米 (女) below the 100-point time, up to 10 each; 20 at most.
- 学年总分 (total) = 标准分 + 附加分; band: 优秀 ≥ 90.0, 良好 80.0–89.9, 及格 60.0–79.9, 不及格 ≤ 59.9.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from .tables import (
    BMI_BANDS,
    BMI_LABEL,
    BMI_SCORES,
    BONUS_PRIMARY,
    BONUS_SECONDARY,
    COUNT_ITEMS,
    GRADES,
    ITEMS,
    SEXES,
    STEPS,
    Item,
    scored_items,
    weight_of,
)

__all__ = [
    "ITEMS",
    "InvalidValue",
    "Item",
    "ItemScore",
    "Result",
    "band_of",
    "check_value",
    "graduation_total",
    "items_for",
    "parse_value",
    "score",
]

GRADE_NAMES = {
    1: "一年级",
    2: "二年级",
    3: "三年级",
    4: "四年级",
    5: "五年级",
    6: "六年级",
    7: "七年级",
    8: "八年级",
    9: "九年级",
    10: "高一",
    11: "高二",
    12: "高三",
}
SEX_NAMES = {"M": "男生", "F": "女生"}

BANDS = ("优秀", "良好", "及格", "不及格")
BMI_CLASSES = ("正常", "低体重", "超重", "肥胖")

_TENTH = Decimal("0.1")
_ONE = Decimal(1)
_HALF = Decimal("0.5")


class InvalidValue(ValueError):
    """A value, grade or item the standard cannot score; the message is Chinese and names the item.

    ``item`` is the item's code (None when the grade or sex itself is wrong)."""

    def __init__(self, message: str, item: str | None = None):
        super().__init__(message)
        self.item = item


class ItemScore(NamedTuple):
    """One item's score (immutable; a NamedTuple rather than a dataclass because a million are made
    per import benchmark)."""

    value: Decimal  # the value as scored (after the standard's reading rule); BMI for "bmi"
    score: int  # 0..100
    weight: Decimal  # 权重, percent
    bonus: int  # 附加分 earned by this item


@dataclass(frozen=True)
class Result:
    grade: int
    sex: str
    bmi: Decimal | None  # one decimal; None when height or weight is missing
    bmi_class: str | None  # 正常 / 低体重 / 超重 / 肥胖
    items: dict[str, ItemScore]  # "bmi" first, then the scored items in the standard's order
    base_total: Decimal | None  # 标准分, one decimal
    bonus_total: int  # 附加分, 0..20
    total: Decimal | None  # 学年总分 = 标准分 + 附加分, one decimal, 0..120
    band: str | None  # on total
    missing: tuple[str, ...]  # required items absent: then base_total, total and band are None


# ---------------------------------------------------------------------------------------------
# Plausibility limits: generous, but no child reaches beyond them.
LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "height_cm": (Decimal(80), Decimal(230)),
    "weight_kg": (Decimal(10), Decimal(200)),
    "vital_capacity": (Decimal(200), Decimal(9999)),
    "run_50m": (Decimal("5.5"), Decimal(30)),  # the world's best sprinters need about 5.5 s
    "sit_and_reach": (Decimal(-40), Decimal(50)),
    "rope_skipping_1min": (Decimal(0), Decimal(300)),
    "situps_1min": (Decimal(0), Decimal(100)),
    "pullups": (Decimal(0), Decimal(60)),
    "standing_long_jump": (Decimal(30), Decimal(380)),  # world record 3.73 m
    "run_50x8": (Decimal(60), Decimal(600)),
    "run_1000m": (Decimal(130), Decimal(1200)),  # world record 2'11"96
    "run_800m": (Decimal(100), Decimal(1200)),  # world record (women) 1'53"28
}
_H_LO_D, _H_HI_D = LIMITS["height_cm"]
_W_LO_D, _W_HI_D = LIMITS["weight_kg"]
_CACHE_MAX = 20000  # distinct values remembered per item, grade and sex

# The standard's reading rule (非0进1) for times: the quantum a time is rounded up to.
READING_QUANTUM: dict[str, Decimal] = {"run_50m": _TENTH, "run_50x8": _ONE, "run_1000m": _ONE, "run_800m": _ONE}


LONG_RUNS = frozenset({"run_50x8", "run_1000m", "run_800m"})


def fmt_value(item: str, value: Decimal) -> str:
    """A value as people write it: 3'55" for the long runs, a plain number otherwise."""
    if item in LONG_RUNS and value >= 60:
        minutes = int(value // 60)
        seconds = value - minutes * 60
        if seconds == seconds.to_integral_value():
            sec = f"{int(seconds):02d}"
        else:
            sec = f"{seconds.normalize():f}"
            if seconds < 10:
                sec = "0" + sec
        return f"{minutes}'{sec}\""
    return f"{value.normalize():f}"


def _check_grade_sex(grade: object, sex: object) -> None:
    if not isinstance(grade, int) or isinstance(grade, bool) or grade not in GRADES:
        raise InvalidValue(f"年级“{grade}”不在体质测试范围内（一年级至高三）")
    if sex not in SEXES:
        raise InvalidValue(f"性别“{sex}”无效（应为男或女）")


def items_for(grade: int, sex: str) -> tuple[str, ...]:
    """Every item the child of that grade and sex is tested on, 身高 and 体重 first."""
    _check_grade_sex(grade, sex)
    return _PLANS[(grade, sex)].required


# ---------------------------------------------------------------------------------------------
# Parsing


_TIME_MS = re.compile(r"^(\d+)[':](\d{1,2}(?:\.\d+)?)\"?$")
_TIME_S = re.compile(r"^(\d+(?:\.\d+)?)\"$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")

_SUBSTITUTIONS = (
    ("″", '"'),
    ("”", '"'),
    ("“", '"'),
    ("''", '"'),
    ("秒", '"'),
    ("′", "'"),
    ("’", "'"),
    ("‘", "'"),
    ("`", "'"),
    ("分", "'"),
    ("−", "-"),
)


def parse_value(item: str, text: str) -> Decimal:
    """A value typed by a teacher or read from a sheet, as a Decimal (times in seconds).

    Times accept 3'55", 3′55″, 3:55, 3分55秒, 1'42.5" and plain seconds (8.5, 235); everything else a plain
    number. Raises InvalidValue with a Chinese message naming the item."""
    it = ITEMS.get(item)
    if it is None:
        raise InvalidValue(f"未知的测试项目“{item}”", item)
    if not isinstance(text, str):
        text = str(text)
    s = text.strip()
    for old, new in _SUBSTITUTIONS:
        s = s.replace(old, new)
    s = unicodedata.normalize("NFKC", s).replace(" ", "")
    s = s.replace("′′", '"').replace("′", "'")
    if not s:
        raise InvalidValue(f"{it.label}：成绩为空", item)
    if it.is_time:
        m = _TIME_MS.match(s)
        if m:
            seconds = Decimal(m.group(2))
            if seconds >= 60:
                raise InvalidValue(f"{it.label}：“{text}”中的秒数应小于60", item)
            return int(m.group(1)) * 60 + seconds
        m = _TIME_S.match(s)
        if m:
            return Decimal(m.group(1))
    if not _NUMBER.match(s):
        hint = "，时间请写成 3'55\" 或 3:55" if it.is_time else ""
        raise InvalidValue(f"{it.label}：无法识别成绩“{text}”，请填写数字{hint}", item)
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise InvalidValue(f"{it.label}：无法识别成绩“{text}”", item) from None


# ---------------------------------------------------------------------------------------------
# Checking


def check_value(item: str, value: Decimal, grade: int, sex: str) -> None:
    """Raise InvalidValue (Chinese) if no child can reach the value, or the item is not tested at that
    grade and sex (引体向上 for a 三年级 boy, 一分钟跳绳 for 七年级 …)."""
    _check_grade_sex(grade, sex)
    it = ITEMS.get(item)
    if it is None:
        raise InvalidValue(f"未知的测试项目“{item}”", item)
    if item not in _PLANS[(grade, sex)].required:
        raise InvalidValue(f"{GRADE_NAMES[grade]}{SEX_NAMES[sex]}不测{it.label}", item)
    _check_range(it, value)


def _check_range(it: Item, value: Decimal) -> None:
    if not isinstance(value, Decimal):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(f"{it.label}：成绩“{value}”不是数字", it.code)
        value = Decimal(value)
    if not value.is_finite():
        raise InvalidValue(f"{it.label}：成绩“{value}”不是数字", it.code)
    lo, hi = LIMITS[it.code]
    if value < 0 and lo >= 0:
        raise InvalidValue(f"{it.label}：成绩不能为负数（{fmt_value(it.code, value)}）", it.code)
    if it.code in COUNT_ITEMS and value != value.to_integral_value():
        raise InvalidValue(f"{it.label}：次数应为整数（{value}）", it.code)
    if not lo <= value <= hi:
        hint = ""
        if it.code in LONG_RUNS and value < lo:
            hint = "；时间以秒计，或写成 3'55\""
        raise InvalidValue(
            f"{it.label}：{_with_unit(it, value)} 不是学生可能的成绩"
            f"（合理范围 {_with_unit(it, lo)}～{_with_unit(it, hi)}）{hint}",
            it.code,
        )


def _with_unit(it: Item, value: Decimal) -> str:
    text = fmt_value(it.code, value)
    return text if text.endswith('"') else f"{text}{it.unit}"


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass(frozen=True, slots=True)
class _Step:
    code: str
    keys: tuple[float, ...]
    scores: tuple[int, ...]
    n: int
    lower: bool
    weight: int
    weight_dec: Decimal
    best: float
    bonus_margins: tuple[int, ...] | None
    quantum: Decimal | None


@dataclass(frozen=True, slots=True)
class _Plan:
    required: tuple[str, ...]
    allowed: frozenset[str]
    steps: tuple[_Step, ...]
    loop: tuple[tuple[str, dict[str, tuple[ItemScore, int, int]], _Step], ...]
    bmi_weight: int
    bmi_weight_dec: Decimal
    low_max: Decimal
    normal_max: Decimal
    over_max: Decimal


def _build_plans() -> dict[tuple[int, str], _Plan]:
    plans = {}
    for grade in GRADES:
        for sex in SEXES:
            steps = []
            for code in scored_items(grade, sex):
                st = STEPS[(code, sex, grade)]
                if grade <= 6:
                    margins = BONUS_PRIMARY.get((code, sex))
                else:
                    margins = BONUS_SECONDARY.get((code, sex))
                w = weight_of(grade, code)
                steps.append(
                    _Step(
                        code=code,
                        keys=st.keys,
                        scores=st.scores,
                        n=len(st.keys),
                        lower=st.lower_is_better,
                        weight=w,
                        weight_dec=Decimal(w),
                        best=float(st.best),
                        bonus_margins=margins,
                        quantum=READING_QUANTUM.get(code),
                    )
                )
            bands = BMI_BANDS[(sex, grade)]
            bmi_w = weight_of(grade, "bmi")
            assert bmi_w + sum(s.weight for s in steps) == 100, (grade, sex)
            required = ("height_cm", "weight_kg", *scored_items(grade, sex))
            plans[(grade, sex)] = _Plan(
                required=required,
                allowed=frozenset(required),
                steps=tuple(steps),
                # per item, a cache of the scores of values already seen (values repeat: a million
                # results hold a few thousand distinct values per item); only valid values enter it
                loop=tuple((st.code, {}, st) for st in steps),
                bmi_weight=bmi_w,
                bmi_weight_dec=Decimal(bmi_w),
                low_max=bands.low_max,
                normal_max=bands.normal_max,
                over_max=bands.over_max,
            )
    return plans


_PLANS = _build_plans()
# one-decimal Decimals by tenths, 0.0 … 120.0
_TENTHS = tuple(Decimal(t).scaleb(-1) for t in range(1201))


def bmi_of(height_cm: Decimal, weight_kg: Decimal) -> Decimal:
    """BMI = kg / m², rounded half up to one decimal."""
    return (weight_kg * 10000 / (height_cm * height_cm)).quantize(_TENTH, ROUND_HALF_UP)


def bmi_class_of(grade: int, sex: str, bmi: Decimal) -> str:
    plan = _PLANS[(grade, sex)]
    if bmi <= plan.low_max:
        return "低体重"
    if bmi <= plan.normal_max:
        return "正常"
    if bmi <= plan.over_max:
        return "超重"
    return "肥胖"


def score(grade: int, sex: str, values: Mapping[str, Decimal | None]) -> Result:
    """Score one student's test of one school year.

    ``values``: item code -> Decimal (None or absent = not tested). An item the grade and sex is not
    tested on, or an implausible value, raises InvalidValue."""
    plan = _PLANS.get((grade, sex))
    if plan is None:
        _check_grade_sex(grade, sex)
        raise AssertionError  # pragma: no cover
    if not plan.allowed.issuperset(values):
        for code in sorted(values.keys() - plan.allowed):
            if values[code] is not None:
                if code not in ITEMS:
                    raise InvalidValue(f"未知的测试项目“{code}”", code)
                raise InvalidValue(f"{GRADE_NAMES[grade]}{SEX_NAMES[sex]}不测{ITEMS[code].label}", code)

    items: dict[str, ItemScore] = {}
    missing: list[str] = []
    total_hundredths = 0
    bonus_total = 0

    height = values.get("height_cm")
    weight = values.get("weight_kg")
    bmi: Decimal | None = None
    bmi_class: str | None = None
    if height is None:
        missing.append("height_cm")
    if weight is None:
        missing.append("weight_kg")
    if height is not None and weight is not None:
        if not (
            type(height) is Decimal
            and type(weight) is Decimal
            and _H_LO_D <= height <= _H_HI_D
            and _W_LO_D <= weight <= _W_HI_D
        ):
            height = _valid(ITEMS["height_cm"], height)
            weight = _valid(ITEMS["weight_kg"], weight)
        bmi = (weight * 10000 / (height * height)).quantize(_TENTH, ROUND_HALF_UP)
        if bmi <= plan.low_max:
            bmi_class = "低体重"
        elif bmi <= plan.normal_max:
            bmi_class = "正常"
        elif bmi <= plan.over_max:
            bmi_class = "超重"
        else:
            bmi_class = "肥胖"
        s = BMI_SCORES[bmi_class]
        total_hundredths += s * plan.bmi_weight
        items["bmi"] = ItemScore(bmi, s, plan.bmi_weight_dec, 0)

    get = values.get
    for code, cache, st in plan.loop:
        v = get(code)
        if v is None:
            missing.append(code)
            continue
        if type(v) is Decimal:
            # remembered by the Decimal's text: far cheaper than hashing a Decimal
            key = str(v)
            hit = cache.get(key)
            if hit is None:
                hit = _score_item(st, v)
                if len(cache) < _CACHE_MAX:
                    cache[key] = hit
        else:
            hit = _score_item(st, v)
        item, weighted, bonus = hit
        total_hundredths += weighted
        bonus_total += bonus
        items[code] = item

    if bonus_total > 20:
        bonus_total = 20
    if missing:
        return _result(grade, sex, bmi, bmi_class, items, None, bonus_total, None, None, tuple(missing))
    base_tenths = (total_hundredths + 5) // 10  # half up: Σ score × weight% to one decimal
    total_tenths = base_tenths + bonus_total * 10
    if total_tenths >= 900:
        band = "优秀"
    elif total_tenths >= 800:
        band = "良好"
    elif total_tenths >= 600:
        band = "及格"
    else:
        band = "不及格"
    return _result(
        grade, sex, bmi, bmi_class, items, _TENTHS[base_tenths], bonus_total, _TENTHS[total_tenths], band, ()
    )


_new = object.__new__
_RESULT_FIELDS = tuple(f.name for f in fields(Result))


def _result(*args: object) -> Result:
    """A Result, built without the frozen dataclass's __init__ (its ten object.__setattr__ calls
    cost as much as the scoring itself): the same object, as immutable afterwards."""
    r = _new(Result)
    r.__dict__.update(zip(_RESULT_FIELDS, args, strict=True))
    return r


def _valid(it: Item, value: object) -> Decimal:
    """The value as a Decimal, or InvalidValue (Chinese, naming the item)."""
    if type(value) is not Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise InvalidValue(f"{it.label}：成绩“{value}”不是数字", it.code)
        value = Decimal(value)
    _check_range(it, value)
    return value


def _score_item(st: _Step, value: object) -> tuple[ItemScore, int, int]:
    """One item's score, its weighted contribution (score × weight%, in hundredths) and its bonus."""
    v = _valid(ITEMS[st.code], value)
    if st.quantum is not None:
        v = v.quantize(st.quantum, ROUND_CEILING)  # the standard's reading rule (非0进1)
    f = float(v)
    bonus = 0
    if st.lower:
        i = bisect_left(st.keys, f)
        s = st.scores[i] if i < st.n else 0
        if st.bonus_margins is not None and f < st.best:
            bonus = bisect_right(st.bonus_margins, st.best - f)
    else:
        i = bisect_right(st.keys, f)
        s = st.scores[i - 1] if i else 0
        if st.bonus_margins is not None and f > st.best:
            bonus = bisect_right(st.bonus_margins, f - st.best)
    return ItemScore(v, s, st.weight_dec, bonus), s * st.weight, bonus


def band_of(total: Decimal) -> str:
    """优秀 ≥ 90.0, 良好 80.0–89.9, 及格 60.0–79.9, 不及格 ≤ 59.9 (on a one-decimal total)."""
    if total >= 90:
        return "优秀"
    if total >= 80:
        return "良好"
    if total >= 60:
        return "及格"
    return "不及格"


def graduation_total(last_year_total: Decimal, other_years_totals: Sequence[Decimal]) -> Decimal:
    """毕业成绩: 50% of the graduation year's total + 50% of the mean of the other years' totals,
    rounded half up to one decimal; with no other year, the graduation year's total."""
    last = Decimal(last_year_total)
    if not other_years_totals:
        return last.quantize(_TENTH, ROUND_HALF_UP)
    mean = sum((Decimal(t) for t in other_years_totals), Decimal(0)) / len(other_years_totals)
    return (last * _HALF + mean * _HALF).quantize(_TENTH, ROUND_HALF_UP)


def item_label(code: str) -> str:
    return BMI_LABEL if code == "bmi" else ITEMS[code].label
