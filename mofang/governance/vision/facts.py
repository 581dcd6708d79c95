"""视力健康's facts for the indicators core: per school (where the child was screened), the
children screened in the period and those screened as myopic (筛查性近视), each child once by
their latest screening in the period. Coverage: the schools with a screening in the period, so
a county where nobody was screened reads 暂无数据, not 0.0%."""

from django.db.models import Count, Exists, OuterRef

from .models import Screening, Status


def latest_in(period):
    """Each child's last screening dated in the period."""
    inside = {"screened_on__gte": period.start, "screened_on__lte": period.end}
    later = Screening.objects.filter(
        student_id=OuterRef("student_id"), screened_on__gt=OuterRef("screened_on"), **inside
    )
    return Screening.objects.filter(**inside).exclude(Exists(later))


def covered(period) -> list[int]:
    return list(
        Screening.objects.filter(screened_on__gte=period.start, screened_on__lte=period.end)
        .values_list("school_id", flat=True)
        .distinct()
    )


def screened(period):
    return latest_in(period).values_list("school_id").annotate(n=Count("pk")).order_by()


def myopic(period):
    return latest_in(period).filter(status=Status.MYOPIA).values_list("school_id").annotate(n=Count("pk")).order_by()


FACTS = [("screened", "视力筛查学生数", screened), ("myopic", "筛查性近视学生数", myopic)]


def register() -> None:
    from mofang.platform.indicators.registry import FactSource, register_fact_source

    for code, name, collect in FACTS:
        register_fact_source(FactSource(f"vision.{code}", name, collect, covers=covered))
