"""义务教育招生: registrations (not withdrawn) at their 学区公办学校, and the seats planned
(班级数 × 班额), of the period's intake.

A period's intake is the round open at the period's end (or today, for a period not over yet):
registration for the September intake of year Y opens on 1 September of Y-1, so in December 2026
the year 2026 shows the 2027 intake its parents are registering for now — not the 2026 intake,
whose registrations are long closed (counting `year == 2026` showed 0 beside a page of 2027
registrations). The facts cover only the schools with an intake plan or a registration for that
intake: a county that does not run its enrollment on the platform shows 暂无数据, not 0.
"""

from django.db.models import Count, F, Sum

from mofang.platform.indicators.registry import FactSource, register_fact_source

from .models import IntakePlan, Registration
from .services import intake_years, today


def intake_year(period) -> int:
    """The intake whose registration round is open at the period's end (or today if earlier)."""
    return intake_years(min(period.end, today()))[0]


def registrations(period):
    return (
        Registration.objects.filter(year=intake_year(period))
        .exclude(status="withdrawn")
        .values_list("public_school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def seats(period):
    return (
        IntakePlan.objects.filter(year=intake_year(period))
        .values_list("school_id")
        .annotate(n=Sum(F("classes") * F("class_size")))
        .order_by()
    )


def covered(period):
    """Schools taking part in the period's intake: a plan, or a registration naming them."""
    year = intake_year(period)
    return set(IntakePlan.objects.filter(year=year).values_list("school_id", flat=True)) | set(
        Registration.objects.filter(year=year).values_list("public_school_id", flat=True)
    )


def register() -> None:
    register_fact_source(FactSource("enrollment.registrations", "招生报名人数", registrations, covers=covered))
    register_fact_source(FactSource("enrollment.seats", "招生计划学位数", seats, covers=covered))
