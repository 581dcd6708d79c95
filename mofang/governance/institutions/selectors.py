"""Read-only questions other modules ask about institutions (the after-school white list)."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from mofang.platform.orgs.models import OrgUnit

from .models import Institution, ListEntry, ListKind, Status


def _effective(kind: str, org: OrgUnit, on: date) -> QuerySet:
    regions = [*OrgUnit.objects.get_ancestors(org), org]
    return ListEntry.objects.filter(kind=kind, region__in=regions, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )


def whitelisted_institutions(org: OrgUnit, on: date | None = None) -> QuerySet:
    """Institutions a school at `org` may engage on `on`: on the white list of its region or an
    ancestor region, not on a black list there, and in 正常 status."""
    on = on or timezone.localdate()
    white = _effective(ListKind.WHITE, org, on).values("institution")
    black = _effective(ListKind.BLACK, org, on).values("institution")
    return Institution.objects.filter(pk__in=white, status=Status.NORMAL).exclude(pk__in=black)
