"""Fixtures for the people tests: files to import, a second class, users per role, and a small roll
(常山县第一小学 with 一年级1班, 二年级1班 and 六年级1班, a second county's school, the people who act on it)."""

import csv
import io
from dataclasses import dataclass

import pytest

from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.roll import current_school_year
from mofang.platform.testing import add, make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def csv_file(tmp_path):
    def write(header, rows, name="file.csv") -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        path = tmp_path / name
        path.write_bytes(buf.getvalue().encode("utf-8"))
        return str(path)

    return write


@pytest.fixture
def other_class(tree):
    """一年级2班, beside the tree's 一年级1班 in the same school."""
    grade = OrgUnit.objects.get_parent(tree.klass)
    return add(grade, "一年级2班", OrgKind.CLASS)


@pytest.fixture
def county_admin(tree):
    return make_user("county", "county_admin", tree.county, full_name="常山县管理员")


@dataclass
class Roll:
    tree: object
    year: object
    grade2_class: object
    grade6_class: object
    county_admin: object
    city_admin: object
    principal: object
    other_principal: object


@pytest.fixture
def roll(tree):
    grade2 = add(tree.school, "二年级", OrgKind.GRADE)
    grade2_class = add(grade2, "二年级1班", OrgKind.CLASS)
    grade6 = add(tree.school, "六年级", OrgKind.GRADE)
    grade6_class = add(grade6, "六年级1班", OrgKind.CLASS)
    return Roll(
        tree=tree,
        year=current_school_year(),
        grade2_class=grade2_class,
        grade6_class=grade6_class,
        county_admin=make_user("cs_admin", "county_admin", tree.county, full_name="常山县管理员"),
        city_admin=make_user("qz_admin", "city_admin", tree.city, full_name="衢州市管理员"),
        principal=make_user("cs1_principal", "principal", tree.school, full_name="校长"),
        other_principal=make_user("js_principal", "principal", tree.other_school, full_name="江山校长"),
    )
