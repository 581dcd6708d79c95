"""校园安全: hazards (case type campus_safety.hazard) still open, and those past their deadline,
counted at the reporting school. Both are snapshots "now" (overdue changes with the clock, not
with records, so these are always refreshed in full — one grouped query each)."""

from django.db.models import Count
from django.utils import timezone

from mofang.governance.campus_safety.cases import CODE
from mofang.platform.cases.models import Case, StateKind

from ..registry import FactSource, register_fact_source


def _open():
    return Case.objects.filter(case_type=CODE, state_kind=StateKind.OPEN)


def open_hazards(period):
    return _open().values_list("reporting_org_id").annotate(n=Count("pk")).order_by()


def overdue_hazards(period):
    return _open().filter(due_at__lt=timezone.now()).values_list("reporting_org_id").annotate(n=Count("pk")).order_by()


def register() -> None:
    register_fact_source(FactSource("campus_safety.open_hazards", "未办结的校园安全隐患数", open_hazards))
    register_fact_source(FactSource("campus_safety.overdue_hazards", "超期未办结的校园安全隐患数", overdue_hazards))
