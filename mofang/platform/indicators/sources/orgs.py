"""Facts from the org tree itself: how many primary and secondary schools (中小学) and how many
kindergartens a region has — the same schools the map plots and the school lists show."""

from django.db.models import Count

from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType

from ..registry import FactSource, register_fact_source

K12 = (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR, SchoolType.COMPLETE_SECONDARY, SchoolType.SENIOR)


def k12_schools(period):
    return (
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type__in=K12)
        .values_list("pk")
        .annotate(n=Count("pk"))
        .order_by()
    )


def kindergartens(period):
    return (
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type=SchoolType.KINDERGARTEN)
        .values_list("pk")
        .annotate(n=Count("pk"))
        .order_by()
    )


def register() -> None:
    register_fact_source(FactSource("orgs.k12_schools", "中小学校数", k12_schools))
    register_fact_source(FactSource("orgs.kindergartens", "幼儿园数", kindergartens))
