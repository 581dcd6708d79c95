"""义务教育招生: registrations (not withdrawn) of the period's intake year at their 学区公办学校, and
the seats planned (班级数 × 班额) of that year."""

from django.db.models import Count, F, Sum

from mofang.platform.indicators.registry import FactSource, register_fact_source

from .models import IntakePlan, Registration


def registrations(period):
    return (
        Registration.objects.filter(year=period.year)
        .exclude(status="withdrawn")
        .values_list("public_school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def seats(period):
    return (
        IntakePlan.objects.filter(year=period.year)
        .values_list("school_id")
        .annotate(n=Sum(F("classes") * F("class_size")))
        .order_by()
    )


def register() -> None:
    register_fact_source(FactSource("enrollment.registrations", "招生报名人数", registrations))
    register_fact_source(FactSource("enrollment.seats", "招生计划学位数", seats))
