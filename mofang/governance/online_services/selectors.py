"""Reads of public data that no user's scope covers: the catalogue of services and bundles (一件事) and the schools a
child may transfer to (names only). Everything scoped is read in views through visible_to."""

from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import grades

from .models import Bundle, Service

MAX_SCHOOLS = 30


def active_services():
    return Service.objects.filter(active=True).order_by("order", "code")


def all_services():
    return Service.objects.all()


def active_service(code: str):
    return Service.objects.filter(code=code, active=True).first()


def active_bundles():
    return Bundle.objects.filter(active=True).order_by("order", "code")


def all_bundles():
    return Bundle.objects.order_by("order", "code")


def active_bundle(code: str):
    return Bundle.objects.filter(code=code, active=True).first()


def _grade_types() -> list[str]:
    return [t for t in grades.GRADE_RANGE if grades.has_grades(t)]


def schools_matching(q: str) -> list:
    """Schools (with grades) whose name or code contains `q`: a parent picks the school to transfer to."""
    if len(q) < 2:
        return []
    qs = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type__in=_grade_types())
    qs = qs.filter(name__contains=q) | qs.filter(code=q)
    return list(qs.order_by("path")[:MAX_SCHOOLS])


def school_by_pk(value):
    if not str(value or "").isdigit():
        return None
    return OrgUnit.objects.filter(pk=int(value), kind=OrgKind.SCHOOL).first()
