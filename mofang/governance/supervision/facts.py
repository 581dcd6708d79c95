"""教育督导: 督学配比达标率 counts counties whose inspector staffing meets the rules of
supervision/compliance.py (1∶5, 1∶1 for big schools, 30% full-time). One row per county with
schools: 1 or 0 compliant, and 1 county. The facts are read for all counties at once (schools,
one grouped student count, inspectors, 责任区) and checked with compliance.check per county —
the same rules as the supervision module's own county report.

Both facts cover the counties with an inspector on the roster (督学名册): a county that keeps no
roster on the platform shows 暂无数据, not 0.0% — its staffing is unknown, not failed."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from mofang.platform.indicators.registry import FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import RollStatus, Student

from .compliance import InspectorFact, SchoolFact, check
from .models import Inspector, InspectorAssignment

STEP = OrgUnit.steplen


def _student_counts(period) -> dict[int, int]:
    """Students per school: from the analytics table when people.students was just refreshed for
    this period (a refresh runs facts in code order, people.* before supervision.*), else counted."""
    from mofang.platform.indicators.models import FactRefresh, FactValue

    fresh = FactRefresh.objects.filter(
        fact="people.students", period=period.key, refreshed_at__gte=timezone.now() - timedelta(minutes=30)
    ).exists()
    if fresh:
        return {
            o: int(v)
            for o, v in FactValue.objects.filter(fact="people.students", period=period.key).values_list(
                "org_id", "value"
            )
        }
    return dict(
        Student.objects.filter(status=RollStatus.ENROLLED).values_list("school_id").annotate(n=Count("pk")).order_by()
    )


def _county_reports(period):
    counties = {path: pk for pk, path in OrgUnit.objects.filter(kind=OrgKind.COUNTY).values_list("pk", "path")}
    counts = _student_counts(period)
    schools = defaultdict(list)
    for pk, name, path in OrgUnit.objects.filter(kind=OrgKind.SCHOOL).values_list("pk", "name", "path"):
        county = next(
            (counties[path[:end]] for end in range(len(path) - STEP, 0, -STEP) if path[:end] in counties), None
        )
        if county is not None:
            schools[county].append(SchoolFact(pk, name, counts.get(pk, 0), path))
    inspectors = defaultdict(list)
    for pk, name, full, county in Inspector.objects.filter(active=True).values_list(
        "pk", "name", "full_time", "county_id"
    ):
        inspectors[county].append(InspectorFact(pk, name, full))
    assignment = defaultdict(list)
    for inspector, school in InspectorAssignment.objects.values_list("inspector_id", "school_id"):
        assignment[inspector].append(school)
    for county, facts in schools.items():
        if not inspectors[county]:
            continue  # no roster: not covered (暂无数据)
        current = {i.id: assignment.get(i.id, []) for i in inspectors[county]}
        yield county, check(facts, inspectors[county], current)


def compliant(period):
    return [(county, 1 if report.compliant else 0) for county, report in _county_reports(period)]


def counties(period):
    counties = {path: pk for pk, path in OrgUnit.objects.filter(kind=OrgKind.COUNTY).values_list("pk", "path")}
    with_schools = set()
    for path in OrgUnit.objects.filter(kind=OrgKind.SCHOOL).values_list("path", flat=True):
        for end in range(len(path) - STEP, 0, -STEP):
            if path[:end] in counties:
                with_schools.add(counties[path[:end]])
                break
    return [(c, 1) for c in with_schools & set(covered(period))]


def covered(period) -> list[int]:
    """Counties with an inspector on the roster."""
    return list(Inspector.objects.filter(active=True).values_list("county_id", flat=True).distinct())


def register() -> None:
    register_fact_source(
        FactSource("supervision.compliant_counties", "督学配备达标的区县数", compliant, covers=covered)
    )
    register_fact_source(FactSource("supervision.counties", "有学校且有督学名册的区县数", counties, covers=covered))
