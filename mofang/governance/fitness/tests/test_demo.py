"""The demo story: 常山县's children have this year's result, the county reads about 95% 合格 and
50% 优良, the final grades have earlier years (毕业), and parent_cs1's child has a report."""

import pytest

from mofang.governance.fitness.models import FitnessResult
from mofang.governance.fitness.selectors import Counts
from mofang.platform.demo.services import build_demo
from mofang.platform.people.roll import current_school_year


@pytest.mark.django_db
def test_the_demo_county_tests_its_children_at_plausible_rates(client):
    report = build_demo(scale=0.02, seed=7, log=lambda *_: None)
    users = report.context.users
    year = current_school_year()
    this_year = FitnessResult.objects.filter(school_year=year, school__path__startswith="")
    c = Counts()
    c.add(
        this_year.filter(total__isnull=False).count(),
        this_year.filter(total__gte=60).count(),
        this_year.filter(total__gte=80).count(),
    )
    assert c.tested > 100
    assert 90 <= c.pass_rate <= 99, c.pass_rate
    assert 40 <= c.good_rate <= 60, c.good_rate
    assert FitnessResult.objects.exclude(school_year=year).exists()  # earlier years of the final grades
    parent = users["parent_cs1"]
    client.force_login(parent)
    text = client.get("/fitness/my/", follow=True).content.decode()
    assert "各项成绩" in text and "锻炼建议" in text
