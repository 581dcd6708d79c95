"""The 2014 standard's tables, loaded once and laid out for fast look-up.

Source: ../data/tables.json (the 16 single-item tables, see its README.md) and ./bonus.json (the
加分指标评分表). Everything here is computed at import time; the engine only bisects.

Grades use the roll's national scale: 1–6 一至六年级, 7–9 初一至初三, 10–12 高一至高三.
"""

from __future__ import annotations

import itertools
import json
import pathlib
import re
from dataclasses import dataclass
from decimal import Decimal

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"
BONUS_FILE = pathlib.Path(__file__).resolve().parent / "bonus.json"

GRADES = tuple(range(1, 13))
SEXES = ("M", "F")

# Column header of each grade in tables.json.
GRADE_COLUMNS: dict[int, str] = {
    1: "一年级",
    2: "二年级",
    3: "三年级",
    4: "四年级",
    5: "五年级",
    6: "六年级",
    7: "初一",
    8: "初二",
    9: "初三",
    10: "高一",
    11: "高二",
    12: "高三",
}

_SEX_KEY = {"male": "M", "female": "F"}


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    label: str
    unit: str
    lower_is_better: bool
    is_time: bool


ITEMS: dict[str, Item] = {
    i.code: i
    for i in (
        Item("height_cm", "身高", "厘米", False, False),
        Item("weight_kg", "体重", "千克", False, False),
        Item("vital_capacity", "肺活量", "毫升", False, False),
        Item("run_50m", "50米跑", "秒", True, True),
        Item("sit_and_reach", "坐位体前屈", "厘米", False, False),
        Item("rope_skipping_1min", "一分钟跳绳", "次", False, False),
        Item("situps_1min", "一分钟仰卧起坐", "次", False, False),
        Item("pullups", "引体向上", "次", False, False),
        Item("standing_long_jump", "立定跳远", "厘米", False, False),
        Item("run_50x8", "50米×8往返跑", "秒", True, True),
        Item("run_1000m", "1000米跑", "秒", True, True),
        Item("run_800m", "800米跑", "秒", True, True),
    )
}
BMI_LABEL = "体重指数（BMI）"

# Items whose value is a count: a whole number.
COUNT_ITEMS = frozenset({"rope_skipping_1min", "situps_1min", "pullups"})


def group_of(grade: int) -> str:
    """Weight group: 一二 / 三四 / 五六 / 初中高中 (the standard's 初中、高中、大学 share one set)."""
    if grade <= 2:
        return "1-2"
    if grade <= 4:
        return "3-4"
    if grade <= 6:
        return "5-6"
    return "7-12"


# 权重 (percent) of each scored item, by group (the standard's 单项指标与权重 table).
WEIGHTS: dict[str, dict[str, int]] = {
    "1-2": {"bmi": 15, "vital_capacity": 15, "run_50m": 20, "sit_and_reach": 30, "rope_skipping_1min": 20},
    "3-4": {
        "bmi": 15,
        "vital_capacity": 15,
        "run_50m": 20,
        "sit_and_reach": 20,
        "rope_skipping_1min": 20,
        "situps_1min": 10,
    },
    "5-6": {
        "bmi": 15,
        "vital_capacity": 15,
        "run_50m": 20,
        "sit_and_reach": 10,
        "rope_skipping_1min": 10,
        "situps_1min": 20,
        "run_50x8": 10,
    },
    # 初中、高中: 引体向上 (男) / 一分钟仰卧起坐 (女) 10, 1000米 (男) / 800米 (女) 20.
    "7-12": {
        "bmi": 15,
        "vital_capacity": 15,
        "run_50m": 20,
        "sit_and_reach": 10,
        "standing_long_jump": 10,
        "strength": 10,
        "endurance": 20,
    },
}


def scored_items(grade: int, sex: str) -> tuple[str, ...]:
    """The scored items (BMI excluded) of a grade and sex, in the standard's order."""
    group = group_of(grade)
    if group == "1-2":
        return ("vital_capacity", "run_50m", "sit_and_reach", "rope_skipping_1min")
    if group == "3-4":
        return ("vital_capacity", "run_50m", "sit_and_reach", "rope_skipping_1min", "situps_1min")
    if group == "5-6":
        return ("vital_capacity", "run_50m", "sit_and_reach", "rope_skipping_1min", "situps_1min", "run_50x8")
    if sex == "M":
        return ("vital_capacity", "run_50m", "sit_and_reach", "standing_long_jump", "pullups", "run_1000m")
    return ("vital_capacity", "run_50m", "sit_and_reach", "standing_long_jump", "situps_1min", "run_800m")


def weight_of(grade: int, item: str) -> int:
    weights = WEIGHTS[group_of(grade)]
    if item in weights:
        return weights[item]
    if item in ("pullups", "situps_1min"):
        return weights["strength"]
    return weights["endurance"]


_TIME = re.compile(r"^(\d+)'(\d{1,2}(?:\.\d+)?)\"$")


def table_value(text: str) -> Decimal:
    """A cell of tables.json: a number, or a time written 3'55"."""
    m = _TIME.match(text)
    if m:
        return int(m.group(1)) * 60 + Decimal(m.group(2))
    return Decimal(text)


@dataclass(frozen=True, slots=True)
class Steps:
    """One item's steps for one sex and grade, laid out for bisect.

    Higher is better: ``keys`` ascending thresholds, ``scores[i]`` the score of reaching ``keys[i]``.
    Lower is better (times): ``keys`` ascending thresholds, ``scores[i]`` the score of a time at or
    below ``keys[i]`` (so scores descend)."""

    keys: tuple[float, ...]
    scores: tuple[int, ...]
    thresholds: tuple[Decimal, ...]  # the same thresholds, exact, best step first
    best: Decimal  # the 100-point threshold
    lower_is_better: bool


@dataclass(frozen=True, slots=True)
class BmiBands:
    """Upper bounds (inclusive) of 低体重, 正常, 超重; above the last is 肥胖."""

    low_max: Decimal
    normal_max: Decimal
    over_max: Decimal
    ranges: tuple[tuple[str, str], ...]  # (class, printed range) as in the table, for the docs/tests


BMI_SCORES = {"正常": 100, "低体重": 80, "超重": 80, "肥胖": 60}


# table name in tables.json -> (sex, {grade range -> item code})
def _item_for(table: str, sex: str, grade: int) -> str:
    if table == "situps_1min_or_pullups":
        return "situps_1min" if grade <= 6 else "pullups"
    if table in ("run_50x8_or_1000m", "run_50x8_or_800m"):
        if grade <= 6:
            return "run_50x8"
        return "run_1000m" if sex == "M" else "run_800m"
    return table


def _load() -> tuple[dict[tuple[str, str, int], Steps], dict[tuple[str, int], BmiBands]]:
    raw = json.loads((DATA_DIR / "tables.json").read_text(encoding="utf-8"))
    steps: dict[tuple[str, str, int], Steps] = {}
    bmi: dict[tuple[str, int], BmiBands] = {}
    for table in raw:
        sex = _SEX_KEY[table["sex"]]
        header: list[str] = table["header"]
        for grade, column_name in GRADE_COLUMNS.items():
            if column_name not in header:
                continue
            col = header.index(column_name)
            if table["item"] == "bmi":
                bmi[(sex, grade)] = _bmi_bands(table["rows"], col)
                continue
            item = _item_for(table["item"], sex, grade)
            pairs: list[tuple[int, Decimal]] = []
            for row in table["rows"]:
                cell = row[col].strip()
                if cell:  # blank cells: that score is not awarded (e.g. 引体向上 78, 74 …)
                    pairs.append((int(row[1]), table_value(cell)))
            lower = ITEMS[item].lower_is_better
            # sanity: best first, strictly monotone thresholds
            for (s1, v1), (s2, v2) in itertools.pairwise(pairs):
                assert s1 > s2 and ((v1 < v2) if lower else (v1 > v2)), (item, sex, grade, pairs)
            asc = pairs if lower else list(reversed(pairs))
            steps[(item, sex, grade)] = Steps(
                keys=tuple(float(v) for _, v in asc),
                scores=tuple(s for s, _ in asc),
                thresholds=tuple(v for _, v in pairs),
                best=pairs[0][1],
                lower_is_better=lower,
            )
    return steps, bmi


def _bmi_bands(rows: list[list[str]], col: int) -> BmiBands:
    cells = {row[0]: row[col].strip() for row in rows}
    normal_lo, normal_hi = (Decimal(x) for x in cells["正常"].split("~"))
    over_lo, over_hi = (Decimal(x) for x in cells["超重"].split("~"))
    low_max = Decimal(cells["低体重"].lstrip("≤"))
    obese_min = Decimal(cells["肥胖"].lstrip("≥"))
    tenth = Decimal("0.1")
    # the four bands must tile the one-decimal scale with no gap and no overlap
    assert normal_lo == low_max + tenth and over_lo == normal_hi + tenth and obese_min == over_hi + tenth, cells
    return BmiBands(
        low_max=low_max,
        normal_max=normal_hi,
        over_max=over_hi,
        ranges=tuple((k, cells[k]) for k in ("正常", "低体重", "超重", "肥胖")),
    )


STEPS, BMI_BANDS = _load()


def _load_bonus() -> tuple[dict[tuple[str, str], tuple[int, ...]], dict[tuple[str, str], tuple[int, ...]], str]:
    raw = json.loads(BONUS_FILE.read_text(encoding="utf-8"))
    primary = {(item, sex): tuple(m) for item, by_sex in raw["primary"].items() for sex, m in by_sex.items()}
    secondary = {(item, sex): tuple(m) for item, by_sex in raw["secondary"].items() for sex, m in by_sex.items()}
    return primary, secondary, raw["source"]


BONUS_PRIMARY, BONUS_SECONDARY, BONUS_SOURCE = _load_bonus()
