"""分派规则 through the platform's import path: all or nothing, upsert by county and category."""

import csv
import io

import pytest

from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases.models import RouteRule
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file

HEADER = ["区县代码", "隐患类别", "责任部门", "说明"]


@pytest.fixture
def run(tmp_path):
    def run(rows, user, org):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(HEADER)
        w.writerows(rows)
        path = tmp_path / "routes.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        return import_file(IMPORTERS["campus_safety_routes"], str(path), path.name, ImportContext(user=user, org=org))

    return run


def test_a_county_imports_its_routing_table_and_reimports_it(world, run, report):
    result = run(
        [
            ["330822", "食品安全", "常山县消防救援大队", "试点"],
            ["330822", "全部其他类别", "330822-fire", ""],
            ["330822", "交通拥堵/上下学秩序", "常山县消防救援大队", ""],
        ],
        world.admin,
        world.county,
    )
    assert result["error_count"] == 0 and (result["created"], result["updated"]) == (2, 1)
    assert report("food").responsible_org == world.fire
    assert report("construction").responsible_org == world.fire  # the catch-all
    assert AuditEntry.objects.filter(summary__contains="分派规则：食品安全").exists()
    again = run([["330822", "食品安全", "常山县公安局", ""]], world.admin, world.county)
    assert (again["created"], again["updated"]) == (0, 1)
    assert report("food").responsible_org == world.police


def test_a_bad_row_writes_nothing_and_names_the_column(world, run):
    before = RouteRule.objects.count()
    result = run(
        [
            ["330822", "食品安全", "常山县市场监督管理局", ""],
            ["330822", "流星", "常山县公安局", ""],
            ["330881", "消防", "江山市公安局", ""],
        ],
        world.admin,
        world.county,
    )
    columns = {(e["row"], e["column"]) for e in result["errors"]}
    assert (2, "责任部门") in columns and (3, "隐患类别") in columns and (4, "区县代码") in columns
    assert RouteRule.objects.count() == before
