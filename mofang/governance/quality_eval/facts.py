"""综合素质评价's facts for the indicators core: per school, the students evaluated in the school
year and those 达标 in 运动技能 / 艺术特长 (see README: 达标 is this module's definition).

A period reads the school year in progress at its end (as 体质健康 does). A student is evaluated
when they have a record of the year at the school that is not revoked; 达标 when at least one of
those is an approved (or archived) record of the kind 运动技能 (体) or 艺术特长 (美). Coverage: the
schools with a record in the year, so a county without any reads 暂无数据, not 0.0%.
"""

from django.db.models import Count

from mofang.platform.people.grades import school_year_start

from .models import PASSED, Kind, Record, Status


def _year(period):
    return Record.objects.filter(school_year=school_year_start(period.end)).exclude(status=Status.REVOKED)


def covered(period) -> list[int]:
    return list(_year(period).values_list("school_id", flat=True).distinct().order_by())


def _students(qs):
    return qs.values_list("school_id").annotate(n=Count("student_id", distinct=True)).order_by()


def evaluated(period):
    return _students(_year(period))


def sports_skilled(period):
    return _students(_year(period).filter(kind=Kind.SPORTS_SKILL, status__in=PASSED))


def art_skilled(period):
    return _students(_year(period).filter(kind=Kind.ART_SKILL, status__in=PASSED))


FACTS = [
    ("evaluated", "参加综合素质评价的学生数", evaluated),
    ("sports_skilled", "运动技能达标学生数", sports_skilled),
    ("art_skilled", "艺术特长达标学生数", art_skilled),
]


def register() -> None:
    from mofang.platform.indicators.registry import FactSource, register_fact_source

    for code, name, collect in FACTS:
        register_fact_source(FactSource(f"quality_eval.{code}", name, collect, covers=covered))
