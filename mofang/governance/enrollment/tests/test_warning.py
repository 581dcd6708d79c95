"""The 3-year oversubscription warning: cohorts, the 90% / 100% boundaries, thresholds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.enrollment import services
from mofang.governance.enrollment.models import IntakeWarning, Level, Stage, WarningPolicy
from mofang.platform.audit.models import AuditEntry

from .conftest import born, children


@pytest.mark.parametrize(
    ("applicants", "level"),
    [
        (0, Level.GREEN),
        (899, Level.GREEN),
        (900, Level.YELLOW),
        (999, Level.YELLOW),
        (1000, Level.RED),
        (1500, Level.RED),
    ],
)
def test_default_levels_yellow_from_exactly_90_and_red_from_exactly_100_percent(applicants, level):
    assert services.level_for(applicants, 1000)[1] == level


def test_ratio_is_rounded_but_the_level_compares_exact_fractions():
    # 8999/10000 = 89.99% shows as 90.0% yet stays green: the boundary is the exact 90%
    assert services.level_for(8999, 10000) == (Decimal("90.0"), Level.GREEN)
    assert services.level_for(9, 10) == (Decimal("90.0"), Level.YELLOW)
    assert services.level_for(10, 10) == (Decimal("100.0"), Level.RED)


def test_a_year_without_a_plan_has_no_level():
    assert services.level_for(50, None) == (None, Level.UNKNOWN)


def test_configured_thresholds_with_an_orange_level():
    policy = WarningPolicy(yellow_from=Decimal("80"), orange_from=Decimal("95"), red_from=Decimal("110"))
    assert services.level_for(79, 100, policy)[1] == Level.GREEN
    assert services.level_for(80, 100, policy)[1] == Level.YELLOW
    assert services.level_for(95, 100, policy)[1] == Level.ORANGE
    assert services.level_for(110, 100, policy)[1] == Level.RED


def test_primary_cohort_is_six_by_31_august():
    assert services.cohort_range(Stage.PRIMARY, 2027) == (dt.date(2020, 9, 1), dt.date(2021, 8, 31))


def test_junior_cohort_is_the_primary_cohort_six_years_on():
    assert services.cohort_range(Stage.JUNIOR, 2027) == services.cohort_range(Stage.PRIMARY, 2021)
    assert services.cohort_range(Stage.JUNIOR, 2027) == (dt.date(2014, 9, 1), dt.date(2015, 8, 31))


def test_the_next_three_intakes_move_on_at_1_september():
    assert services.intake_years(dt.date(2026, 8, 31)) == [2026, 2027, 2028]
    assert services.intake_years(dt.date(2026, 9, 1)) == [2027, 2028, 2029]


def _warning(school, year, stage=Stage.PRIMARY):
    return IntakeWarning.objects.get(school=school, year=year, stage=stage)


def test_exactly_90_percent_of_seats_is_yellow_and_exactly_100_is_red(district):
    y0, y1, y2 = district.years
    for year in (y0, y1):
        services.set_intake_plan(district.primary, year, Stage.PRIMARY, classes=1, class_size=10, acting_user=None)
    children(district.tree.county, district.community, Stage.PRIMARY, y0, 9)
    children(district.tree.county, district.community, Stage.PRIMARY, y1, 10)
    w0, w1, w2 = (_warning(district.primary, y) for y in (y0, y1, y2))
    assert (w0.applicants, w0.seats, w0.ratio, w0.level) == (9, 10, Decimal("90.0"), Level.YELLOW)
    assert (w1.applicants, w1.seats, w1.ratio, w1.level) == (10, 10, Decimal("100.0"), Level.RED)
    assert (w2.seats, w2.level) == (None, Level.UNKNOWN)


def test_children_outside_the_cohort_or_the_district_do_not_count(district):
    y0 = district.years[0]
    county = district.tree.county
    services.set_intake_plan(district.primary, y0, Stage.PRIMARY, classes=1, class_size=10, acting_user=None)
    start, end = services.cohort_range(Stage.PRIMARY, y0)
    elsewhere = services.save_community(county, "别处小区", acting_user=None)  # in no school's 学区
    services.add_household_children(
        county,
        [
            {"record_no": "A1", "birth_date": start, "community": district.community, "registration": "household"},
            {"record_no": "A2", "birth_date": end, "community": district.community, "registration": "permit"},
            {
                "record_no": "A3",
                "birth_date": end + dt.timedelta(days=1),
                "community": district.community,
                "registration": "household",
            },
            {
                "record_no": "A4",
                "birth_date": start - dt.timedelta(days=1),
                "community": district.community,
                "registration": "household",
            },
            {"record_no": "A5", "birth_date": start, "community": elsewhere, "registration": "household"},
        ],
        acting_user=None,
    )
    assert _warning(district.primary, y0).applicants == 2


def test_junior_applicants_come_from_the_junior_district(district):
    y0 = district.years[0]
    services.set_intake_plan(district.junior, y0, Stage.JUNIOR, classes=1, class_size=20, acting_user=None)
    children(district.tree.county, district.community, Stage.JUNIOR, y0, 15)
    children(district.tree.county, district.community, Stage.PRIMARY, y0, 5)
    w = _warning(district.junior, y0, Stage.JUNIOR)
    assert (w.applicants, w.seats, w.level) == (15, 20, Level.GREEN)
    assert _warning(district.primary, y0).applicants == 5


def test_a_new_threshold_changes_the_level_at_once_and_is_audited(district):
    y0 = district.years[0]
    services.set_intake_plan(district.primary, y0, Stage.PRIMARY, classes=1, class_size=10, acting_user=None)
    children(district.tree.county, district.community, Stage.PRIMARY, y0, 8)
    assert _warning(district.primary, y0).level == Level.GREEN
    services.set_policy(district.tree.county, y0, yellow_from=80, red_from=95, acting_user=district.admin)
    assert _warning(district.primary, y0).level == Level.YELLOW
    entry = AuditEntry.objects.filter(summary__contains="入学预警阈值").get()
    assert entry.actor == district.admin and entry.org == district.tree.county
    # a policy holds for later years too, until a newer one
    assert services.policy_for(district.tree.county, y0 + 2).yellow_from == Decimal("80")


def test_thresholds_must_increase(district):
    with pytest.raises(ValidationError):
        services.set_policy(district.tree.county, 2027, yellow_from=100, red_from=90, acting_user=district.admin)
    with pytest.raises(ValidationError):
        services.set_policy(
            district.tree.county, 2027, yellow_from=80, orange_from=120, red_from=100, acting_user=district.admin
        )
    assert not WarningPolicy.objects.exists()


def test_a_plan_must_match_the_schools_stages(district):
    with pytest.raises(ValidationError):
        services.set_intake_plan(district.primary, 2027, Stage.JUNIOR, classes=1, class_size=10, acting_user=None)


def test_children_keep_no_name_or_id_number():
    from mofang.governance.enrollment.models import HouseholdChild

    names = {f.name for f in HouseholdChild._meta.get_fields()}
    assert names == {"id", "county", "record_no", "birth_date", "community", "registration"}


def test_born_helper_stays_inside_the_cohort():
    start, end = services.cohort_range(Stage.PRIMARY, 2027)
    assert start <= born(Stage.PRIMARY, 2027, 299) <= end


def test_the_warnings_are_recomputed_when_the_intake_window_moves_on(district):
    from mofang.platform.jobs.services import PERIODIC

    job = PERIODIC["enrollment.refresh_warnings"]
    assert job.period_of(dt.datetime(2026, 8, 31, 12)) == "2026"
    assert job.period_of(dt.datetime(2026, 9, 1, 0, 5)) == "2027"
    services.set_intake_plan(
        district.primary, district.years[0], Stage.PRIMARY, classes=1, class_size=10, acting_user=None
    )
    IntakeWarning.objects.all().delete()  # as if the stored rows were of the previous window
    job.run(job.period_of(timezone.localtime().replace(tzinfo=None)))
    assert IntakeWarning.objects.filter(school=district.primary, year=district.years[0]).exists()


def test_a_district_may_include_a_school_without_a_code(district):
    """A 学区 of two schools, one not yet given a code: saved and audited (sorting the codes used to
    fail on the missing one)."""
    from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
    from mofang.platform.testing import add

    county = district.tree.county
    new_school = add(
        county, "常山县新建小学", OrgKind.SCHOOL, None, school_type=SchoolType.PRIMARY, ownership=Ownership.PUBLIC
    )
    both = [district.primary, new_school]
    services.save_community(county, "定阳花园", primary_schools=both, acting_user=district.admin)
    services.save_community(county, "定阳花园", primary_schools=[new_school], acting_user=district.admin)
    assert list(district.community.primary_schools.all()) == [new_school]
    last = AuditEntry.objects.filter(object_id=str(district.community.pk)).latest("pk")
    assert last.before["primary"] == sorted([district.primary.code, "常山县新建小学"])
    assert last.after["primary"] == ["常山县新建小学"]
