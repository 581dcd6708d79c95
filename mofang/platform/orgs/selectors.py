"""Reading the org tree: the questions every module asks of it, answered once."""

from .models import OrgKind, OrgUnit


def county_of(org: OrgUnit | None) -> OrgUnit | None:
    """The 区县 an org unit belongs to (itself when it is one); None for a province or city, and
    for no unit at all. One query at most: the county is the unit's ancestor of kind 区县."""
    if org is None:
        return None
    return org.ancestor_of_kind(OrgKind.COUNTY)
