"""The rules the register and the matching follow, in one place (each said in Chinese on the pages).

义务教育适龄 (compulsory-education age): the nine birth cohorts of grades 1–9 in the school year the
reference date falls in. A school year starts on 1 September of year Y (Y = the reference date's
year from September on, else the year before); by the standard rule a child enters grade 1 in
year Y when they are 6 by 31 August of Y (当年8月31日满6周岁). So the compulsory cohorts are the
children born from 1 September of Y−15 to 31 August of Y−6: aged 6 to 15 at the reference date.

休学逾期 (suspension beyond its term): the roll's rule is 休学一般不超过一年 — a student whose
latest 休学 on the roll is more than one year (365 days) before today and who has not resumed is
listed with the dropouts.
"""

import datetime as dt

AGE_RULE = "按“当年8月31日满6周岁入学”计算：基准日期所在学年（9月1日起）应在一至九年级的儿童，即基准日期时6至15周岁"
SUSPENSION_TERM = dt.timedelta(days=365)
SUSPENSION_RULE = "休学一般不超过一年：最近一次休学距今超过一年仍未复学的，列入“辍学或休学逾期”名单"


def school_year_start(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def compulsory_birth_range(reference: dt.date) -> tuple[dt.date, dt.date]:
    """(earliest, latest) birth date of a child of compulsory-education age on `reference`."""
    y = school_year_start(reference)
    return dt.date(y - 15, 9, 1), dt.date(y - 6, 8, 31)


def suspended_too_long(since: dt.date | None, today: dt.date) -> bool:
    return since is not None and today - since > SUSPENSION_TERM
