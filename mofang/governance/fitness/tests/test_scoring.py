"""The scoring engine against totals worked out BY HAND from the 2014 standard's tables.

Each student below is scored twice: by the engine, and in the test itself as the arithmetic a PE
teacher would do with the printed tables (the cell used is named in the comment). Pure: no database.
"""

from decimal import Decimal as D

import pytest

from mofang.governance.fitness.scoring import (
    ITEMS,
    InvalidValue,
    band_of,
    check_value,
    graduation_total,
    items_for,
    parse_value,
    practice_advice,
    score,
)


def w(score_: int, weight_percent: int) -> D:
    """score × weight, exactly."""
    return D(score_) * D(weight_percent) / 100


def one_decimal(x: D) -> D:
    from decimal import ROUND_HALF_UP

    return x.quantize(D("0.1"), ROUND_HALF_UP)


def scores_of(result):
    return {code: s.score for code, s in result.items.items()}


# --------------------------------------------------------------------------------------------
# 一二年级: BMI 15, 肺活量 15, 50米 20, 坐位体前屈 30, 一分钟跳绳 20


def test_grade1_boy_with_rope_bonus():
    r = score(
        1,
        "M",
        {
            "height_cm": D("120.0"),
            "weight_kg": D("22.0"),  # 22 / 1.2² = 15.27… → 15.3: 正常 13.5~18.1 → 100
            "vital_capacity": D(1100),  # 1060 (72) ≤ 1100 < 1120 (74) → 72
            "run_50m": D("10.5"),  # ≤ 10.5 → 85
            "sit_and_reach": D("9.0"),  # 8.8 (76) ≤ 9.0 < 9.9 (78) → 76
            "rope_skipping_1min": D(115),  # ≥ 109 → 100; 115 − 109 = 6 above → 3 附加分 (1 per 2)
        },
    )
    assert r.bmi == D("15.3") and r.bmi_class == "正常"
    assert scores_of(r) == {
        "bmi": 100,
        "vital_capacity": 72,
        "run_50m": 85,
        "sit_and_reach": 76,
        "rope_skipping_1min": 100,
    }
    base = w(100, 15) + w(72, 15) + w(85, 20) + w(76, 30) + w(100, 20)  # 15 + 10.8 + 17 + 22.8 + 20
    assert base == D("85.6") == r.base_total
    assert r.items["rope_skipping_1min"].bonus == 3 == r.bonus_total
    assert r.total == D("88.6") and r.band == "良好"
    assert r.missing == ()


def test_grade2_girl_overweight_rope_bonus_capped_at_20():
    r = score(
        2,
        "F",
        {
            "height_cm": D("125"),
            "weight_kg": D("28.1"),  # 28.1 / 1.5625 = 17.98… → 18.0: 超重 17.9~20.2 → 80
            "vital_capacity": D(1000),  # 72 row: 1000 → 72
            "run_50m": D("11.05"),  # read as 11.1 (非0进1); 11.0 (78) < 11.1 ≤ 11.2 (76) → 76
            "sit_and_reach": D("20.0"),  # ≥ 18.9 → 100
            "rope_skipping_1min": D(171),  # ≥ 127 → 100; 44 above → 22, capped at 20
        },
    )
    assert r.bmi == D("18.0") and r.bmi_class == "超重"
    assert r.items["run_50m"].value == D("11.1")
    assert scores_of(r) == {
        "bmi": 80,
        "vital_capacity": 72,
        "run_50m": 76,
        "sit_and_reach": 100,
        "rope_skipping_1min": 100,
    }
    base = w(80, 15) + w(72, 15) + w(76, 20) + w(100, 30) + w(100, 20)  # 12 + 10.8 + 15.2 + 30 + 20
    assert base == D("88.0") == r.base_total
    assert r.bonus_total == 20
    assert r.total == D("108.0") and r.band == "优秀"


# --------------------------------------------------------------------------------------------
# 三四年级: BMI 15, 肺活量 15, 50米 20, 坐位体前屈 20, 一分钟跳绳 20, 一分钟仰卧起坐 10


def test_grade3_boy_underweight_and_below_the_lowest_step():
    r = score(
        3,
        "M",
        {
            "height_cm": D("130"),
            "weight_kg": D("22"),  # 22 / 1.69 = 13.01… → 13.0: 低体重 ≤ 13.8 → 80
            "vital_capacity": D(1700),  # 80 row → 80
            "run_50m": D("9.3"),  # 90 row → 90
            "sit_and_reach": D("-5.0"),  # below the lowest step (10 分: −4.8) → 0
            "rope_skipping_1min": D(90),  # 76 row → 76 (no bonus: 100 分 needs 126)
            "situps_1min": D(30),  # 74 row → 74
        },
    )
    assert r.bmi == D("13.0") and r.bmi_class == "低体重"
    assert scores_of(r) == {
        "bmi": 80,
        "vital_capacity": 80,
        "run_50m": 90,
        "sit_and_reach": 0,
        "rope_skipping_1min": 76,
        "situps_1min": 74,
    }
    base = w(80, 15) + w(80, 15) + w(90, 20) + w(0, 20) + w(76, 20) + w(74, 10)  # 12+12+18+0+15.2+7.4
    assert base == D("64.6") == r.base_total == r.total
    assert r.bonus_total == 0 and r.band == "及格"


def test_grade4_girl_bmi_exactly_on_the_obese_edge():
    r = score(
        4,
        "F",
        {
            "height_cm": D("135.0"),
            "weight_kg": D("40.3"),  # 40.3 / 1.8225 = 22.11… → 22.1: 肥胖 ≥ 22.1 (超重 19.5~22.0) → 60
            "vital_capacity": D(1600),  # 80 row → 80
            "run_50m": D("9.2"),  # 85 row → 85
            "sit_and_reach": D("15.0"),  # 85 row → 85
            "rope_skipping_1min": D(150),  # ≥ 149 → 100; 1 above is not 2 → no bonus
            "situps_1min": D(40),  # 85 row → 85
        },
    )
    assert r.bmi == D("22.1") and r.bmi_class == "肥胖"
    base = w(60, 15) + w(80, 15) + w(85, 20) + w(85, 20) + w(100, 20) + w(85, 10)  # 9+12+17+17+20+8.5
    assert base == D("83.5") == r.base_total == r.total
    assert r.bonus_total == 0 and r.band == "良好"


# --------------------------------------------------------------------------------------------
# 五六年级: BMI 15, 肺活量 15, 50米 20, 坐位体前屈 10, 跳绳 10, 仰卧起坐 20, 50米×8往返跑 10


def test_grade5_boy_shuttle_run_written_with_tenths_and_half_up_total():
    shuttle = parse_value("run_50x8", "1'42.5\"")
    assert shuttle == D("102.5")
    r = score(
        5,
        "M",
        {
            "height_cm": D("145"),
            "weight_kg": D("43.0"),  # 43 / 2.1025 = 20.45… → 20.5: 正常 14.4~21.4 → 100
            "vital_capacity": D(2450),  # 85 row → 85
            "run_50m": D("8.8"),  # 80 row → 80
            "sit_and_reach": D("6.0"),  # 5.8 (74) ≤ 6.0 < 7.0 (76) → 74
            "rope_skipping_1min": D(160),  # ≥ 148 → 100; 12 above → 6 附加分
            "situps_1min": D(41),  # 85 row → 85
            "run_50x8": shuttle,  # read as 1'43" (非0进1); 1'42" (90) < 1'43" ≤ 1'45" (85) → 85
        },
    )
    assert r.items["run_50x8"].value == D(103)
    assert scores_of(r)["run_50x8"] == 85
    base = (
        w(100, 15) + w(85, 15) + w(80, 20) + w(74, 10) + w(100, 10) + w(85, 20) + w(85, 10)
    )  # 15 + 12.75 + 16 + 7.4 + 10 + 17 + 8.5
    assert base == D("86.65")
    assert r.base_total == one_decimal(base) == D("86.7")  # rounded half up, once, on the sum
    assert r.bonus_total == 6
    assert r.total == D("92.7") and r.band == "优秀"


def test_grade6_girl_bmi_exactly_on_the_lower_normal_edge():
    r = score(
        6,
        "F",
        {
            "height_cm": D("150.0"),
            "weight_kg": D("31.95"),  # 31.95 / 2.25 = 14.2 exactly: 正常 14.2~20.8 (低体重 ≤ 14.1) → 100
            "vital_capacity": D(1200),  # 60 row → 60
            "run_50m": D("11.3"),  # 11.2 (50) < 11.3 ≤ 11.4 (40) → 40
            "sit_and_reach": D("1.0"),  # 0.3 (40) ≤ 1.0 < 1.1 (50) → 40
            "rope_skipping_1min": D(100),  # 94 (68) ≤ 100 < 101 (70) → 68
            "situps_1min": D(30),  # 29 (70) ≤ 30 < 31 (72) → 70
            "run_50x8": parse_value("run_50x8", "2'19\""),  # 60 row: 2'19" → 60
        },
    )
    assert r.bmi == D("14.2") and r.bmi_class == "正常"
    base = (
        w(100, 15) + w(60, 15) + w(40, 20) + w(40, 10) + w(68, 10) + w(70, 20) + w(60, 10)
    )  # 15 + 9 + 8 + 4 + 6.8 + 14 + 6
    assert base == D("62.8") == r.base_total == r.total
    assert r.band == "及格"


# --------------------------------------------------------------------------------------------
# 初中、高中: BMI 15, 肺活量 15, 50米 20, 坐位体前屈 10, 立定跳远 10, 引体向上/仰卧起坐 10, 1000米/800米 20


def test_grade7_boy_1000m_written_3_55_and_pullup_bonus():
    run = parse_value("run_1000m", "3'55\"")
    assert run == D(235)
    r = score(
        7,
        "M",
        {
            "height_cm": D("160"),
            "weight_kg": D("60"),  # 60 / 2.56 = 23.43… → 23.4: 超重 22.2~24.9 → 80
            "vital_capacity": D(3400),  # 90 row → 90
            "run_50m": D("7.8"),  # 100 row → 100
            "sit_and_reach": D("10.4"),  # 80 row → 80
            "standing_long_jump": D(225),  # 100 row → 100
            "pullups": D(18),  # ≥ 13 → 100; 5 above → 5 附加分
            "run_1000m": run,  # 3'55" is the 100 分 time → 100, not faster → no bonus
        },
    )
    assert r.bmi == D("23.4") and r.bmi_class == "超重"
    assert scores_of(r) == {
        "bmi": 80,
        "vital_capacity": 90,
        "run_50m": 100,
        "sit_and_reach": 80,
        "standing_long_jump": 100,
        "pullups": 100,
        "run_1000m": 100,
    }
    base = (
        w(80, 15) + w(90, 15) + w(100, 20) + w(80, 10) + w(100, 10) + w(100, 10) + w(100, 20)
    )  # 12 + 13.5 + 20 + 8 + 10 + 10 + 20
    assert base == D("93.5") == r.base_total
    assert r.items["pullups"].bonus == 5 and r.items["run_1000m"].bonus == 0
    assert r.total == D("98.5") and r.band == "优秀"


def test_grade9_girl_situp_and_800m_bonus():
    r = score(
        9,
        "F",
        {
            "height_cm": D("160.0"),
            "weight_kg": D("52.0"),  # 52 / 2.56 = 20.31… → 20.3: 正常 16.0~22.6 → 100
            "vital_capacity": D(2800),  # 85 row → 85
            "run_50m": D("8.0"),  # 95 row → 95
            "sit_and_reach": D("23.5"),  # 100 row → 100
            "standing_long_jump": D(190),  # 90 row → 90
            "situps_1min": D(60),  # ≥ 52 → 100; 8 above: 加分表 2,4,6,7,8 → 5 附加分
            "run_800m": parse_value("run_800m", "3′05″"),  # ≤ 3'25" → 100; 20 s faster: 5,10,15,20 → 4
        },
    )
    assert r.items["situps_1min"].bonus == 5
    assert r.items["run_800m"].bonus == 4
    base = (
        w(100, 15) + w(85, 15) + w(95, 20) + w(100, 10) + w(90, 10) + w(100, 10) + w(100, 20)
    )  # 15 + 12.75 + 19 + 10 + 9 + 10 + 20
    assert base == D("95.75")
    assert r.base_total == D("95.8")
    assert r.bonus_total == 9
    assert r.total == D("104.8") and r.band == "优秀"


def test_grade12_boy_full_bonus_is_20():
    r = score(
        12,
        "M",
        {
            "height_cm": D("175"),
            "weight_kg": D("65"),  # 65 / 3.0625 = 21.22… → 21.2: 正常 17.3~23.8 → 100
            "vital_capacity": D(4200),  # 80 row → 80
            "run_50m": D("7.0"),  # 90 row → 90
            "sit_and_reach": D("5.0"),  # 4.6 (62) ≤ 5.0 < 6.0 (64) → 62
            "standing_long_jump": D(230),  # 229 (72) ≤ 230 < 233 (74) → 72
            "pullups": D(30),  # ≥ 18 → 100; 12 above → 10 (the most)
            "run_1000m": parse_value("run_1000m", "2:40"),  # ≤ 3'20" → 100; 40 s faster → 10
        },
    )
    base = (
        w(100, 15) + w(80, 15) + w(90, 20) + w(62, 10) + w(72, 10) + w(100, 10) + w(100, 20)
    )  # 15 + 12 + 18 + 6.2 + 7.2 + 10 + 20
    assert base == D("88.4") == r.base_total
    assert r.items["pullups"].bonus == 10 and r.items["run_1000m"].bonus == 10
    assert r.bonus_total == 20
    assert r.total == D("108.4") and r.band == "优秀"


def test_grade10_girl_fails():
    r = score(
        10,
        "F",
        {
            "height_cm": D("158"),
            "weight_kg": D("40"),  # 40 / 2.4964 = 16.02… → 16.0: 低体重 ≤ 16.4 → 80
            "vital_capacity": D(1800),  # 1750 (60) ≤ 1800 < 1850 (62) → 60
            "run_50m": D("10.9"),  # 10.8 (50) < 10.9 ≤ 11.0 (40) → 40
            "sit_and_reach": D("2.5"),  # 2.0 (30) ≤ 2.5 < 2.8 (40) → 30
            "standing_long_jump": D(150),  # 148 (60) ≤ 150 < 151 (62) → 60
            "situps_1min": D(20),  # 19 (40) ≤ 20 < 21 (50) → 40
            "run_800m": parse_value("run_800m", "5'00\""),  # 4'50" (50) < 5'00" ≤ 5'00" (40) → 40
        },
    )
    base = (
        w(80, 15) + w(60, 15) + w(40, 20) + w(30, 10) + w(60, 10) + w(40, 10) + w(40, 20)
    )  # 12 + 9 + 8 + 3 + 6 + 4 + 8
    assert base == D("50.0") == r.base_total == r.total
    assert r.band == "不及格"
    advice = practice_advice(r)
    assert advice[0].startswith("体重指数（BMI） 16.0（低体重）得分 80：")
    assert "坐位体前屈 得分 30：" in advice[1]
    # BMI first, then every item below 60, lowest first (肺活量 and 立定跳远 at 60 pass)
    assert [line.split(" 得分")[0] for line in advice[1:]] == ["坐位体前屈", "50米跑", "一分钟仰卧起坐", "800米跑"]


def test_grade8_boy_obese_lands_exactly_on_80_with_the_1000m_bonus():
    r = score(
        8,
        "M",
        {
            "height_cm": D("170.0"),
            "weight_kg": D("74.0"),  # 74 / 2.89 = 25.60… → 25.6: 肥胖 ≥ 25.3 → 60
            "vital_capacity": D(2900),  # 2840 (74) ≤ 2900 < 2960 (76) → 74
            "run_50m": D("8.0"),  # 7.9 (80) < 8.0 ≤ 8.1 (78) → 78
            "sit_and_reach": D("13.7"),  # 85 row → 85
            "standing_long_jump": D(200),  # 198 (74) ≤ 200 < 202 (76) → 74
            "pullups": D(6),  # 64 row → 64
            "run_1000m": parse_value("run_1000m", "3'40\""),  # ≤ 3'50" → 100; 10 s faster: 4, 8 → 2
        },
    )
    assert r.bmi_class == "肥胖"
    base = (
        w(60, 15) + w(74, 15) + w(78, 20) + w(85, 10) + w(74, 10) + w(64, 10) + w(100, 20)
    )  # 9 + 11.1 + 15.6 + 8.5 + 7.4 + 6.4 + 20
    assert base == D("78.0") == r.base_total
    assert r.bonus_total == 2 and r.items["pullups"].bonus == 0
    assert r.total == D("80.0") and r.band == "良好"  # the bonus lifts 及格 to exactly 80.0


def test_grade11_girl_half_up_and_bonus_not_yet_earned():
    r = score(
        11,
        "F",
        {
            "height_cm": D("165"),
            "weight_kg": D("50"),  # 50 / 2.7225 = 18.36… → 18.4: 正常 16.9~23.2 → 100
            "vital_capacity": D(3000),  # 85 row → 85
            "run_50m": D("7.75"),  # read as 7.8: 95 row → 95
            "sit_and_reach": D("19.7"),  # 85 row → 85
            "standing_long_jump": D(176),  # 78 row → 78
            "situps_1min": D(54),  # exactly the 100 分 count → 100, nothing above → no bonus
            "run_800m": parse_value("run_800m", "3:19"),  # ≤ 3'22" → 100; 3 s faster, 5 needed → 0
        },
    )
    base = (
        w(100, 15) + w(85, 15) + w(95, 20) + w(85, 10) + w(78, 10) + w(100, 10) + w(100, 20)
    )  # 15 + 12.75 + 19 + 8.5 + 7.8 + 10 + 20
    assert base == D("93.05")
    assert r.base_total == D("93.1") == r.total  # half up
    assert r.bonus_total == 0 and r.band == "优秀"


def test_grade8_boy_missing_item_leaves_no_total():
    r = score(
        8,
        "M",
        {
            "height_cm": D("165"),
            "weight_kg": D("55"),
            "vital_capacity": D(3500),
            "run_50m": D("7.6"),
            "sit_and_reach": D("12"),
            "standing_long_jump": D(230),
            "pullups": D(16),
            "run_1000m": None,  # 未测
        },
    )
    assert r.missing == ("run_1000m",)
    assert r.total is None and r.base_total is None and r.band is None
    assert r.items["pullups"].score == 100 and "run_1000m" not in r.items

    no_height = score(8, "M", {"weight_kg": D("55")})
    assert no_height.bmi is None and no_height.bmi_class is None
    assert no_height.missing == ("height_cm", *items_for(8, "M")[2:])
    assert no_height.total is None and no_height.items == {}


def test_too_slow_for_the_lowest_step_scores_zero():
    r = score(8, "M", {"run_1000m": parse_value("run_1000m", "7'30\"")})  # 10 分 needs 6'45"
    assert r.items["run_1000m"].score == 0 and r.items["run_1000m"].bonus == 0


def test_bmi_band_edges_grade1_boy():
    # 低体重 ≤ 13.4, 正常 13.5~18.1, 超重 18.2~20.3, 肥胖 ≥ 20.4 (height 100 cm: BMI = weight)
    def cls(weight: str):
        r = score(1, "M", {"height_cm": D(100), "weight_kg": D(weight)})
        return r.bmi, r.bmi_class, r.items["bmi"].score

    assert cls("13.4") == (D("13.4"), "低体重", 80)
    assert cls("13.5") == (D("13.5"), "正常", 100)
    assert cls("18.1") == (D("18.1"), "正常", 100)
    assert cls("18.2") == (D("18.2"), "超重", 80)  # the 超重 cell blank in the source: 80
    assert cls("18.15") == (D("18.2"), "超重", 80)  # rounded half up first
    assert cls("18.149") == (D("18.1"), "正常", 100)
    assert cls("20.3") == (D("20.3"), "超重", 80)
    assert cls("20.4") == (D("20.4"), "肥胖", 60)


def test_pullups_blank_cells_of_grade7():
    # 初一 引体向上: 1 → 30 (the 20 and 10 cells are blank), 0 → 0; 8 → 76 (78 is blank)
    def s(n):
        return score(7, "M", {"pullups": D(n)}).items["pullups"].score

    assert [s(0), s(1), s(2), s(4), s(8), s(9)] == [0, 30, 40, 60, 76, 80]


# --------------------------------------------------------------------------------------------
# Items, grades, bands


def test_items_for_each_group():
    assert items_for(1, "F") == (
        "height_cm",
        "weight_kg",
        "vital_capacity",
        "run_50m",
        "sit_and_reach",
        "rope_skipping_1min",
    )
    assert items_for(3, "M")[-1] == "situps_1min"
    assert items_for(6, "F")[-2:] == ("situps_1min", "run_50x8")
    assert items_for(9, "M")[-3:] == ("standing_long_jump", "pullups", "run_1000m")
    assert items_for(12, "F")[-3:] == ("standing_long_jump", "situps_1min", "run_800m")
    for grade in range(1, 13):
        for sex in "MF":
            assert items_for(grade, sex)[:2] == ("height_cm", "weight_kg")
            assert set(items_for(grade, sex)) <= set(ITEMS)


def test_items_carry_chinese_labels_and_units():
    assert ITEMS["run_50m"].label == "50米跑" and ITEMS["run_50m"].unit == "秒"
    assert ITEMS["run_50m"].lower_is_better and ITEMS["run_1000m"].is_time
    assert ITEMS["vital_capacity"].unit == "毫升" and ITEMS["weight_kg"].unit == "千克"
    assert not ITEMS["sit_and_reach"].lower_is_better


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D("120.0"), "优秀"),
        (D("90.0"), "优秀"),
        (D("89.9"), "良好"),
        (D("80.0"), "良好"),
        (D("79.9"), "及格"),
        (D("60.0"), "及格"),
        (D("59.9"), "不及格"),
        (D("0"), "不及格"),
    ],
)
def test_band_edges(total, band):
    assert band_of(total) == band


def test_graduation_total():
    # 50% of 高三's 学年总分 + 50% of the mean of 高一 and 高二: 0.5 × 85.0 + 0.5 × (78.5 + 80.2) / 2
    assert graduation_total(D("85.0"), [D("78.5"), D("80.2")]) == D("82.2")  # 42.5 + 39.675 = 82.175
    assert graduation_total(D("85.0"), []) == D("85.0")
    assert graduation_total(D("90"), [D("70"), D("80"), D("90"), D("100"), D("60")]) == D("85.0")


# --------------------------------------------------------------------------------------------
# Parsing and checking: Chinese messages naming the item


@pytest.mark.parametrize(
    ("item", "text", "expected"),
    [
        ("run_1000m", "3'55\"", D(235)),
        ("run_1000m", "3′55″", D(235)),
        ("run_1000m", "3:55", D(235)),
        ("run_1000m", "3：55", D(235)),
        ("run_1000m", "3分55秒", D(235)),
        ("run_1000m", "3'05", D(185)),
        ("run_50x8", "1'42.5\"", D("102.5")),
        ("run_800m", " 4’05” ", D(245)),
        ("run_50m", "8.5", D("8.5")),
        ("run_50m", '8.5"', D("8.5")),
        ("run_1000m", "235", D(235)),
        ("sit_and_reach", "-3.2", D("-3.2")),
        ("sit_and_reach", "－3.2", D("-3.2")),
        ("vital_capacity", "２５００", D(2500)),
        ("height_cm", "152.3", D("152.3")),
    ],
)
def test_parse_value_accepts(item, text, expected):
    assert parse_value(item, text) == expected


@pytest.mark.parametrize(
    ("item", "text", "label"),
    [
        ("run_1000m", "三分五十五", "1000米跑"),
        ("run_1000m", "3'75\"", "1000米跑"),
        ("run_50m", "", "50米跑"),
        ("vital_capacity", "2500ml", "肺活量"),
        ("sit_and_reach", "abc", "坐位体前屈"),
        ("rope_skipping_1min", "1e3", "一分钟跳绳"),
    ],
)
def test_parse_value_rejects_with_the_item_named(item, text, label):
    with pytest.raises(InvalidValue) as e:
        parse_value(item, text)
    assert label in str(e.value) and e.value.item == item


@pytest.mark.parametrize(
    ("item", "value", "grade", "sex", "label"),
    [
        ("run_50m", D("3"), 8, "M", "50米跑"),  # 50米 in 3 s
        ("height_cm", D("300"), 10, "F", "身高"),  # 3 m tall
        ("weight_kg", D("3"), 1, "M", "体重"),
        ("situps_1min", D("-5"), 4, "F", "一分钟仰卧起坐"),  # a negative count
        ("rope_skipping_1min", D("-1"), 2, "M", "一分钟跳绳"),
        ("rope_skipping_1min", D("120.5"), 2, "M", "一分钟跳绳"),  # half a jump
        ("pullups", D("200"), 12, "M", "引体向上"),
        ("vital_capacity", D("25000"), 9, "F", "肺活量"),
        ("run_1000m", D("3.55"), 7, "M", "1000米跑"),  # 3.55 s: meant 3'55"
        ("standing_long_jump", D("500"), 8, "F", "立定跳远"),
        ("sit_and_reach", D("80"), 5, "F", "坐位体前屈"),
        ("pullups", D("5"), 3, "M", "引体向上"),  # not tested in 三年级
        ("rope_skipping_1min", D("150"), 7, "F", "一分钟跳绳"),  # not tested in 初一
        ("run_800m", D("220"), 8, "M", "800米跑"),  # a boy runs 1000米
        ("situps_1min", D("30"), 2, "F", "一分钟仰卧起坐"),  # from 三年级
        ("standing_long_jump", D("150"), 6, "M", "立定跳远"),  # from 初一
    ],
)
def test_check_value_rejects_with_a_chinese_message_naming_the_item(item, value, grade, sex, label):
    with pytest.raises(InvalidValue) as e:
        check_value(item, value, grade, sex)
    assert label in str(e.value) and e.value.item == item


def test_check_value_messages_read_well():
    with pytest.raises(InvalidValue, match="三年级男生不测引体向上"):
        check_value("pullups", D(5), 3, "M")
    with pytest.raises(InvalidValue, match="七年级女生不测一分钟跳绳"):
        check_value("rope_skipping_1min", D(150), 7, "F")
    with pytest.raises(InvalidValue, match="50米跑：3秒 不是学生可能的成绩"):
        check_value("run_50m", D(3), 8, "M")
    with pytest.raises(InvalidValue, match="不能为负数"):
        check_value("situps_1min", D(-5), 4, "F")
    with pytest.raises(InvalidValue, match="3'55"):
        check_value("run_1000m", D("3.55"), 7, "M")


def test_check_value_accepts_real_values_and_rejects_bad_grades():
    check_value("run_1000m", D(235), 7, "M")
    check_value("sit_and_reach", D("-12.5"), 10, "F")
    check_value("pullups", D(0), 9, "M")
    with pytest.raises(InvalidValue, match="年级"):
        check_value("run_50m", D(9), 13, "M")
    with pytest.raises(InvalidValue, match="性别"):
        check_value("run_50m", D(9), 5, "X")


def test_score_rejects_items_and_values_it_cannot_score():
    with pytest.raises(InvalidValue, match="三年级男生不测引体向上"):
        score(3, "M", {"pullups": D(5)})
    with pytest.raises(InvalidValue, match="50米跑"):
        score(8, "F", {"run_50m": D(3)})
    with pytest.raises(InvalidValue, match="年级"):
        score(0, "F", {})
    # an item not tested at that grade is fine when it carries no value
    assert score(3, "M", {"pullups": None}).items == {}


def test_practice_advice_lowest_when_nothing_fails():
    r = score(
        1,
        "M",
        {
            "height_cm": D("120.0"),
            "weight_kg": D("22.0"),
            "vital_capacity": D(1100),
            "run_50m": D("10.5"),
            "sit_and_reach": D("9.0"),
            "rope_skipping_1min": D(115),
        },
    )
    assert practice_advice(r) == ["肺活量 得分 72：每天慢跑、跳绳或游泳20分钟，练习深呼吸和吹气球，提高心肺功能"]


def test_results_are_immutable_and_values_may_repeat():
    import dataclasses

    values = {"height_cm": D("150"), "weight_kg": D("40"), "run_50m": D("8.55")}
    first = score(5, "F", values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.total = D(100)
    again = score(5, "F", {k: D(str(v)) for k, v in values.items()})  # the same values, new objects
    assert again == first and again.items["run_50m"].value == D("8.6")
    # a whole number may come as an int; a float is refused rather than guessed
    assert score(7, "M", {"pullups": 13}).items["pullups"].score == 100
    with pytest.raises(InvalidValue, match="50米跑"):
        score(5, "F", {"run_50m": 8.5})
    # a bad value is refused every time, never remembered
    for _ in range(2):
        with pytest.raises(InvalidValue, match="一分钟仰卧起坐"):
            score(5, "F", {"situps_1min": D("-1")})


def test_practice_advice_is_empty_for_a_perfect_student():
    r = score(
        7,
        "M",
        {
            "height_cm": D("160"),
            "weight_kg": D("50"),  # 19.5: 正常
            "vital_capacity": D(3700),
            "run_50m": D("7.5"),
            "sit_and_reach": D("20"),
            "standing_long_jump": D(240),
            "pullups": D(15),
            "run_1000m": D(220),
        },
    )
    assert {s.score for s in r.items.values()} == {100}
    assert practice_advice(r) == []
    # 100 + 2 (15 pull-ups, 2 above 13) + 3 (3'40" is 15 s faster than 3'55": 4, 8, 12 → 3)
    assert r.base_total == D("100.0") and r.bonus_total == 5 and r.total == D("105.0")
