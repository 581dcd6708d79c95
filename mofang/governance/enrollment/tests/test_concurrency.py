"""Concurrent changes in one county: their warning refreshes serialise on the county's row lock,
so none fails on the unique (school, year, stage) and the stored warnings reflect every change."""

import pytest
from django.db import connection

from mofang.governance.enrollment import services
from mofang.governance.enrollment.models import IntakeWarning, Stage
from mofang.platform.testing import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_plan_changes_in_one_county_all_land_in_the_warnings(district):
    years = district.years
    schools = [district.primary, district.hz]

    def plan(school, year, classes):
        return lambda: services.set_intake_plan(
            school, year, Stage.PRIMARY, classes=classes, class_size=10, acting_user=None
        )

    targets = [plan(s, y, 1 + i) for i, (s, y) in enumerate((s, y) for s in schools for y in years)]
    assert race(targets) == ["ok"] * len(targets)
    seats = dict(IntakeWarning.objects.filter(school=schools[1], stage=Stage.PRIMARY).values_list("year", "seats"))
    assert seats == {years[0]: 40, years[1]: 50, years[2]: 60}
    assert IntakeWarning.objects.filter(school=schools[0], stage=Stage.PRIMARY, seats__isnull=True).count() == 0
