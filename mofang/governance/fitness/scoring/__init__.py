"""The scoring engine of 《国家学生体质健康标准（2014年修订）》: pure Python, no models, no database.

    from mofang.governance.fitness.scoring import ITEMS, items_for, parse_value, check_value, score, ...

See engine.py for the rules as implemented and docs/fitness-scoring.md for the checks of the tables.
"""

from .advice import practice_advice
from .engine import (
    BANDS,
    BMI_CLASSES,
    GRADE_NAMES,
    LIMITS,
    InvalidValue,
    ItemScore,
    Result,
    band_of,
    bmi_class_of,
    bmi_of,
    check_value,
    fmt_value,
    graduation_total,
    item_label,
    items_for,
    parse_value,
    score,
)
from .tables import BONUS_SOURCE, ITEMS, Item

__all__ = [
    "BANDS",
    "BMI_CLASSES",
    "BONUS_SOURCE",
    "GRADE_NAMES",
    "ITEMS",
    "LIMITS",
    "InvalidValue",
    "Item",
    "ItemScore",
    "Result",
    "band_of",
    "bmi_class_of",
    "bmi_of",
    "check_value",
    "fmt_value",
    "graduation_total",
    "item_label",
    "items_for",
    "parse_value",
    "practice_advice",
    "score",
]
