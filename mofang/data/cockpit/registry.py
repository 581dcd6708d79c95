"""Counters of open and overdue items shown on the cockpit (一屏掌控: 待办与逾期).

A counter answers, for a user and a region, how many items are open (and, where the module has
deadlines, how many of them are overdue), always through the scope layer (`visible_to`). The
case engine's types are counted automatically (one row per registered type with a view
permission); other modules' pending items are registered with `register_cockpit_counter(...)` —
for the modules that exist today this app's own `counters.py` does it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class CockpitCounter:
    code: str  # unique, e.g. "timebank.leave_pending"
    module: str  # the module's Chinese name, e.g. 教师时间银行
    label: str  # what is counted, e.g. 待审批抵假申请
    permission: str  # the row is shown to users holding it (and counted through visible_to with it)
    # (user, region OrgUnit, now) -> (open, overdue or None); must read through visible_to(user, permission)
    count: Callable[[object, object, dt.datetime], tuple[int, int | None]]
    url_name: str = ""  # where the items are worked (reversed without arguments), optional
    order: int = 100


COUNTERS: dict[str, CockpitCounter] = {}


def register_cockpit_counter(counter: CockpitCounter) -> None:
    """Register (or re-register after a reload) one counter; codes are unique."""
    COUNTERS[counter.code] = counter


def in_region(qs: QuerySet, region) -> QuerySet:
    """Narrow an already scoped queryset to the rows under `region`, by the model's own scope field(s).
    A scope field through a to-many relation may repeat a row: count such querysets with distinct()."""
    fields = qs.model.scope_org_field
    fields = fields if isinstance(fields, tuple) else (fields,)
    q = Q()
    for f in fields:
        q |= Q(**{(f"{f}__path__startswith" if f else "path__startswith"): region.path})
    return qs.filter(q)
