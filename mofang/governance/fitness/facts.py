"""体质健康's facts for the indicators core (SPEC §1.9): per school, the counts behind
体质健康合格率 (96.42% in seed 003) and 优良率 (52.67%).

A period reads the school year (学年) in progress at its end: the year 2026 reads the
2026-2027学年's results (the test runs in the autumn term). Only results with a total count — a
child with an item 缺测 has no total and is in no denominator. The facts cover the schools with a
result in that year, so a county where no school has tested shows 暂无数据, not 0.0%.
"""

from django.db.models import Count

from mofang.platform.people.grades import school_year_start

from .models import GOOD_MARK, PASS_MARK, FitnessResult


def _year(period):
    return FitnessResult.objects.filter(school_year__start_year=school_year_start(period.end))


def covered(period) -> list[int]:
    """Schools with a result in the period's school year."""
    return list(_year(period).values_list("school_id", flat=True).distinct().order_by())


def _per_school(qs):
    return qs.values_list("school_id").annotate(n=Count("pk")).order_by()


def tested(period):
    return _per_school(_year(period).filter(total__isnull=False))


def passed(period):
    return _per_school(_year(period).filter(total__gte=PASS_MARK))


def good(period):
    return _per_school(_year(period).filter(total__gte=GOOD_MARK))


FACTS = [
    ("tested", "参加体质健康测试且有学年总分的学生数", tested),
    ("passed", "体质健康测试合格（总分60分及以上）的学生数", passed),
    ("good", "体质健康测试优良（总分80分及以上）的学生数", good),
]


def register() -> None:
    from mofang.platform.indicators.registry import FactSource, register_fact_source

    for code, name, collect in FACTS:
        register_fact_source(FactSource(f"fitness.{code}", name, collect, covers=covered))
