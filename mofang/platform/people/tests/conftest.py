"""Fixtures for the people tests: files to import, a second class, users per role."""

import csv
import io

import pytest

from mofang.platform.orgs.models import OrgKind, OrgUnit
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
