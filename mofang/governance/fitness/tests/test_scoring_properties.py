"""Property tests of the scoring engine (hypothesis): for every grade and sex and any plausible
values, scores stay in range, a better performance never scores less, and the fast bisect engine
agrees with a slow reading of tables.json done here from scratch. Pure: no database."""

import json
import pathlib
import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mofang.governance.fitness.scoring import (
    BANDS,
    BMI_CLASSES,
    ITEMS,
    LIMITS,
    InvalidValue,
    band_of,
    check_value,
    items_for,
    parse_value,
    score,
)

GRADE_SEX = st.tuples(st.integers(1, 12), st.sampled_from(["M", "F"]))

# decimals each item is written with
PLACES = {
    "height_cm": 1,
    "weight_kg": 1,
    "vital_capacity": 0,
    "run_50m": 2,  # a second decimal exercises the reading rule (非0进1)
    "sit_and_reach": 1,
    "rope_skipping_1min": 0,
    "situps_1min": 0,
    "pullups": 0,
    "standing_long_jump": 0,
    "run_50x8": 1,
    "run_1000m": 1,
    "run_800m": 1,
}


def value_of(item: str):
    lo, hi = LIMITS[item]
    q = Decimal(1).scaleb(-PLACES[item])
    return st.integers(int(lo / q), int(hi / q)).map(lambda n: n * q)


@st.composite
def student(draw):
    grade, sex = draw(GRADE_SEX)
    values = {item: draw(value_of(item)) for item in items_for(grade, sex)}
    return grade, sex, values


@settings(max_examples=400, deadline=None)
@given(student())
def test_scores_stay_in_range(s):
    grade, sex, values = s
    r = score(grade, sex, values)
    assert r.missing == ()
    assert set(r.items) == {"bmi", *items_for(grade, sex)[2:]}
    for item in r.items.values():
        assert 0 <= item.score <= 100
        assert 0 <= item.bonus <= 20
    assert r.bmi_class in BMI_CLASSES
    assert r.band in BANDS and r.band == band_of(r.total)
    assert r.base_total is not None and r.total is not None
    assert Decimal(0) <= r.base_total <= Decimal(100)
    assert 0 <= r.bonus_total <= 20
    assert Decimal(0) <= r.total <= Decimal(120)
    assert r.total == r.base_total + r.bonus_total
    assert r.total == r.total.quantize(Decimal("0.1"))
    assert sum(i.weight for i in r.items.values()) == 100
    exact = sum(Decimal(i.score) * i.weight / 100 for i in r.items.values())
    assert r.base_total == exact.quantize(Decimal("0.1"), ROUND_HALF_UP)
    with_bonus = {code for code, i in r.items.items() if i.bonus}
    if grade <= 6:  # 小学: 一分钟跳绳 only, up to 20
        assert with_bonus <= {"rope_skipping_1min"}
    else:  # 初中、高中: 引体向上/仰卧起坐 and 1000米/800米, up to 10 each
        assert with_bonus <= {"pullups", "situps_1min", "run_1000m", "run_800m"}
        assert all(i.bonus <= 10 for i in r.items.values())


@settings(max_examples=400, deadline=None)
@given(student(), st.data())
def test_a_better_performance_never_scores_less(s, data):
    grade, sex, values = s
    item = data.draw(st.sampled_from(items_for(grade, sex)[2:]))
    lo, hi = LIMITS[item]
    q = Decimal(1).scaleb(-PLACES[item])
    v = values[item]
    if ITEMS[item].lower_is_better:
        better = data.draw(st.integers(int(lo / q), int(v / q)).map(lambda n: n * q))
    else:
        better = data.draw(st.integers(int(v / q), int(hi / q)).map(lambda n: n * q))
    before = score(grade, sex, values)
    after = score(grade, sex, {**values, item: better})
    assert after.items[item].score >= before.items[item].score
    assert after.items[item].bonus >= before.items[item].bonus
    assert after.base_total >= before.base_total
    assert after.total >= before.total


# --- an independent, slow reading of the tables ------------------------------------------------

TABLES = json.loads(
    (pathlib.Path(__file__).resolve().parent.parent / "data" / "tables.json").read_text(encoding="utf-8")
)
COLUMNS = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三", "高一", "高二", "高三"]


def cell(text: str) -> Decimal:
    m = re.match(r"^(\d+)'(\d+)\"$", text)
    return Decimal(int(m.group(1)) * 60 + int(m.group(2))) if m else Decimal(text)


def slow_score(item: str, sex: str, grade: int, value: Decimal) -> int:
    table_name = {
        "situps_1min": "situps_1min" if sex == "F" else "situps_1min_or_pullups",
        "pullups": "situps_1min_or_pullups",
        "run_50x8": "run_50x8_or_1000m" if sex == "M" else "run_50x8_or_800m",
        "run_1000m": "run_50x8_or_1000m",
        "run_800m": "run_50x8_or_800m",
    }.get(item, item)
    table = next(t for t in TABLES if t["item"] == table_name and t["sex"] == ("male" if sex == "M" else "female"))
    col = table["header"].index(COLUMNS[grade - 1])
    if item in ("run_50m",):
        value = value.quantize(Decimal("0.1"), ROUND_CEILING)
    elif ITEMS[item].is_time:
        value = value.quantize(Decimal(1), ROUND_CEILING)
    for row in table["rows"]:  # best first: the first step reached
        if not row[col]:
            continue
        threshold = cell(row[col])
        if (value <= threshold) if ITEMS[item].lower_is_better else (value >= threshold):
            return int(row[1])
    return 0


@settings(max_examples=600, deadline=None)
@given(student())
def test_engine_agrees_with_a_slow_reading_of_the_tables(s):
    grade, sex, values = s
    r = score(grade, sex, values)
    for item in items_for(grade, sex)[2:]:
        assert r.items[item].score == slow_score(item, sex, grade, values[item]), item


@settings(max_examples=200, deadline=None)
@given(GRADE_SEX, st.sampled_from(sorted(ITEMS)), st.decimals(allow_nan=False, allow_infinity=False, places=2))
def test_check_value_either_accepts_or_names_the_item(gs, item, value):
    grade, sex = gs
    try:
        check_value(item, value, grade, sex)
    except InvalidValue as e:
        assert ITEMS[item].label in str(e)
    else:
        assert item in items_for(grade, sex)
        lo, hi = LIMITS[item]
        assert lo <= value <= hi


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(ITEMS)), st.text(max_size=12))
def test_parse_value_never_fails_otherwise(item, text):
    try:
        parse_value(item, text)
    except InvalidValue as e:
        assert ITEMS[item].label in str(e)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 19), st.integers(0, 59))
def test_times_parse_in_every_notation(minutes, seconds):
    expected = Decimal(minutes * 60 + seconds)
    for text in (f"{minutes}'{seconds:02d}\"", f"{minutes}′{seconds:02d}″", f"{minutes}:{seconds:02d}"):
        assert parse_value("run_1000m", text) == expected
