"""教育督导: 督学配比达标率 counts counties whose inspector staffing meets the rules of
supervision/compliance.py (1∶5, 1∶1 for big schools, 30% full-time). One row per county: 1 or 0
compliant, 1 county. A county with no schools is not counted."""

from mofang.governance.supervision.compliance import county_report
from mofang.platform.orgs.models import OrgKind, OrgUnit

from ..registry import FactSource, register_fact_source


def _counties():
    return [c for c in OrgUnit.objects.filter(kind=OrgKind.COUNTY)
            if OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=c.path).exists()]


def compliant(period):
    for county in _counties():
        report, _ = county_report(county)
        yield county.pk, 1 if report.compliant else 0


def counties(period):
    return ((c.pk, 1) for c in _counties())


def register() -> None:
    register_fact_source(FactSource("supervision.compliant_counties", "督学配备达标的区县数", compliant))
    register_fact_source(FactSource("supervision.counties", "有学校的区县数", counties))
