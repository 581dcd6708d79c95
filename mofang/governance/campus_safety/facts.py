"""校园安全: hazards (case type campus_safety.hazard) still open, and those past their deadline,
counted at the reporting school. Both are snapshots "now". An incremental refresh re-counts the
schools whose hazards changed state, or whose deadline passed, since the last refresh."""

from django.db.models import Count, Q
from django.utils import timezone

from mofang.platform.cases.models import Case
from mofang.platform.indicators.registry import FactSource, register_fact_source

from .cases import CODE


def _open():
    return Case.objects.filter(case_type=CODE).open()


def open_hazards(period):
    return _open().values_list("reporting_org_id").annotate(n=Count("pk")).order_by()


def overdue_hazards(period):
    return (
        Case.objects.filter(case_type=CODE)
        .overdue(timezone.now())
        .values_list("reporting_org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def open_in(period, orgs):
    return open_hazards(period).filter(reporting_org_id__in=orgs)


def overdue_in(period, orgs):
    return overdue_hazards(period).filter(reporting_org_id__in=orgs)


def changed(since):
    """Schools with a hazard that moved state since then, or whose deadline passed since then."""
    now = timezone.now()
    return (
        Case.objects.filter(case_type=CODE)
        .filter(Q(state_entered_at__gte=since) | Q(due_at__gt=since, due_at__lte=now))
        .values_list("reporting_org_id", flat=True)
        .distinct()
    )


def register() -> None:
    register_fact_source(
        FactSource(
            "campus_safety.open_hazards",
            "未办结的校园安全隐患数",
            open_hazards,
            changed_orgs=changed,
            collect_orgs=open_in,
        )
    )
    register_fact_source(
        FactSource(
            "campus_safety.overdue_hazards",
            "超期未办结的校园安全隐患数",
            overdue_hazards,
            changed_orgs=changed,
            collect_orgs=overdue_in,
        )
    )
