"""Grade levels (年级) and school years (学年): plain rules, no database.

A student's grade is stored as one national scale so that a primary school's 六年级 and a
junior school's 七年级 are adjacent numbers: 小班 −2, 中班 −1, 大班 0, 一年级 1 … 九年级 9,
高一 10, 高二 11, 高三 12 (a 中职's 一年级 is 10). The grade follows from the student's
入学年份 (the year the student's cohort, 届, entered the school's first grade) and the school type:

    grade = first grade of the school type + (school year − 入学年份)

so a primary school's 2026 entrants are in 一年级 in 2026-2027 and in 二年级 in 2027-2028.
"""

import datetime as dt

from mofang.platform.orgs.models import SchoolType

# School type → (first grade, last grade). Types without grades (高校, 社区学校) are absent.
GRADE_RANGE: dict[str, tuple[int, int]] = {
    SchoolType.KINDERGARTEN: (-2, 0),
    SchoolType.PRIMARY: (1, 6),
    SchoolType.JUNIOR: (7, 9),
    SchoolType.NINE_YEAR: (1, 9),
    SchoolType.COMPLETE_SECONDARY: (7, 12),
    SchoolType.SENIOR: (10, 12),
    SchoolType.VOCATIONAL: (10, 12),
    SchoolType.SPECIAL: (1, 9),
}

GRADE_NAMES: dict[int, str] = {
    -2: "小班",
    -1: "中班",
    0: "大班",
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
# A 中职 counts its own years: its first year is 一年级 on the page, 10 on the national scale.
_VOCATIONAL_NAMES = {10: "一年级", 11: "二年级", 12: "三年级"}

GRADE_CHOICES: list[tuple[str, str]] = [(str(g), name) for g, name in GRADE_NAMES.items()]

SCHOOL_YEAR_START_MONTH = 9  # a school year runs from 1 September to 31 August


def has_grades(school_type: str) -> bool:
    return school_type in GRADE_RANGE


def first_grade(school_type: str) -> int:
    return GRADE_RANGE[school_type][0]


def last_grade(school_type: str) -> int:
    return GRADE_RANGE[school_type][1]


def grade_name(school_type: str, grade: int | None) -> str:
    if grade is None:
        return ""
    if school_type == SchoolType.VOCATIONAL and grade in _VOCATIONAL_NAMES:
        return _VOCATIONAL_NAMES[grade]
    return GRADE_NAMES.get(grade, str(grade))


def grade_from_name(school_type: str, name: str) -> int | None:
    """The grade a grade node of the org tree (一年级, 高一, 小班 …) stands for in a school of this type;
    used to find next year's class of a class, never a student's own grade."""
    if school_type == SchoolType.VOCATIONAL:
        for g, n in _VOCATIONAL_NAMES.items():
            if n == name:
                return g
    low, high = GRADE_RANGE.get(school_type, (1, 0))
    for g, n in GRADE_NAMES.items():
        if n == name and low <= g <= high:
            return g
    return None


def school_year_start(day: dt.date) -> int:
    """The school year a day falls in, by its first calendar year: 2027-03-01 → 2026 (2026-2027学年)."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def school_year_name(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}学年"


def grade_for(school_type: str, entry_year: int, year: int) -> int:
    """The grade of a cohort that entered the school in `entry_year`, in school year `year`."""
    return first_grade(school_type) + (year - entry_year)


def entry_year_for(school_type: str, grade: int, year: int) -> int:
    """The 入学年份 that puts a student in `grade` in school year `year` (the inverse of grade_for)."""
    return year - (grade - first_grade(school_type))
