"""Fixtures for 入学早知道: a second primary and a junior school in 常山县, a 学区 and plans,
built through the same services the pages and imports use."""

import datetime as dt
from types import SimpleNamespace

import pytest

from mofang.governance.enrollment import services
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.testing import add, make_user


def born(stage: str, year: int, day_offset: int = 0) -> dt.date:
    """A birth date inside the cohort that starts `stage` in `year`."""
    start, _end = services.cohort_range(stage, year)
    return start + dt.timedelta(days=day_offset)


def children(county, community, stage, year, n, *, prefix="R"):
    """n children of `community` who start `stage` in `year`."""
    rows = [
        {
            "record_no": f"{prefix}{stage[0]}{year}{i:05d}",
            "birth_date": born(stage, year, i % 300),
            "community": community,
            "registration": "household",
        }
        for i in range(n)
    ]
    return services.add_household_children(county, rows, acting_user=None)


@pytest.fixture
def district(tree):
    d = SimpleNamespace(tree=tree, years=services.intake_years())
    d.primary = tree.school  # 常山县第一小学
    d.hz = add(
        tree.county,
        "杭州小学",
        OrgKind.SCHOOL,
        "3308220009",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PUBLIC,
        address="常山县天马街道",
    )
    d.junior = add(
        tree.county,
        "常山县第一初级中学",
        OrgKind.SCHOOL,
        "3308220002",
        school_type=SchoolType.JUNIOR,
        ownership=Ownership.PUBLIC,
    )
    d.admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    d.other_admin = make_user("admin_js", "county_admin", tree.other_county, full_name="江山市管理员")
    d.community = services.save_community(
        tree.county,
        "定阳花园",
        address_keywords="天马街道 定阳路",
        primary_schools=[d.primary],
        junior_schools=[d.junior],
        acting_user=d.admin,
    )
    d.other_community = services.save_community(
        tree.other_county, "江山小区", primary_schools=[tree.other_school], acting_user=None
    )
    return d
