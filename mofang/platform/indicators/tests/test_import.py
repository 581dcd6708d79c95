"""统计数据导入: Ningbo's 普惠 statistics become facts; every bad row is reported in Chinese."""

from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.indicators import selectors
from mofang.platform.indicators.models import FactValue, Indicator, Target
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)

HEADER = ["指标或事实代码", "机构代码", "统计周期", "分子", "分母"]


@pytest.fixture
def ningbo(tree):
    city = add(tree.province, "宁波市", OrgKind.CITY, "330200")
    return city


def run(tmp_path, user, org, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    path = tmp_path / "统计.xlsx"
    wb.save(path)
    return import_file(IMPORTERS["indicator_statistics"], str(path), path.name, ImportContext(user=user, org=org))


def test_ningbo_inclusive_kindergarten_coverage_is_908_percent(tmp_path, tree, ningbo):
    admin = make_user("ind_prov", "province_admin", tree.province)
    out = run(
        tmp_path,
        admin,
        tree.province,
        [
            ["inclusive_kg_coverage", "330200", THIS_YEAR, "272400", "300000"],
            ["import.public_kindergartens", "330200", THIS_YEAR, "401", None],
            ["import.inclusive_private_kindergartens", "330200", THIS_YEAR, "582", None],
            ["inclusive_kindergartens", "330200", THIS_YEAR, "983", None],
        ],
    )
    assert out["error_count"] == 0, out["errors"]
    Target.objects.create(
        indicator=Indicator.objects.get(code="inclusive_kg_coverage"),
        org=ningbo,
        year=int(THIS_YEAR),
        value=Decimal("90.8"),
    )
    v = selectors.indicator_value("inclusive_kg_coverage", ningbo, THIS_YEAR)
    assert v.value == Decimal("90.8") and v.met is True  # exactly the target counts as met
    # 幼儿园数 is the org tree's count (what the map plots), not an imported figure
    refused = run(tmp_path, admin, tree.province, [["kindergartens", "330200", THIS_YEAR, "1180", None]])
    assert refused["error_count"] == 1 and "不能导入" in str(refused["errors"])
    assert selectors.indicator_value("inclusive_kindergartens", ningbo, THIS_YEAR).value == 401 + 582
    # importing again updates, never duplicates
    out = run(tmp_path, admin, tree.province, [["inclusive_kg_coverage", "330200", THIS_YEAR, "273000", "300000"]])
    assert out["updated"] == 1
    assert selectors.indicator_value("inclusive_kg_coverage", ningbo, THIS_YEAR).value == Decimal("91.0")


def test_every_bad_row_is_reported_in_chinese_and_nothing_is_written(tmp_path, tree, ningbo):
    admin = make_user("ind_cs", "county_admin", tree.county)
    out = run(
        tmp_path,
        admin,
        tree.county,
        [
            ["smart_campus_coverage", tree.school.code, THIS_YEAR, "1", None],  # good
            ["inclusive_kg_coverage", "330200", THIS_YEAR, "1", "2"],  # 宁波 is outside 常山县
            ["no_such_indicator", tree.school.code, THIS_YEAR, "1", None],
            ["students", tree.school.code, THIS_YEAR, "1", None],  # counted by the platform
            ["smart_campus_coverage", tree.school.code, f"{THIS_YEAR}-13", "1", None],
            ["smart_campus_coverage", tree.county.code, THIS_YEAR, "-1", None],
            ["smart_campus_coverage", tree.county.code, THIS_YEAR, "1", "5"],  # denominator is counted
            ["inclusive_kg_coverage", tree.county.code, THIS_YEAR, "5", "4"],
            ["smart_campus_coverage", tree.school.code, THIS_YEAR, "1", None],  # duplicate of row 2
        ],
    )
    messages = {e["row"]: e["message"] for e in out["errors"]}
    assert out["error_count"] == 8 and out["created"] == 0
    assert "不在您的数据范围内" in messages[3]
    assert "不存在" in messages[4]
    assert "自动统计" in messages[5]
    assert "统计周期" in messages[6] or "无效" in messages[6]
    assert "不小于0" in messages[7]
    assert "请留空" in messages[8]
    assert "分子不能大于分母" in messages[9]
    assert "重复" in messages[10]
    assert not FactValue.objects.exists()


def test_the_import_page_links_template_and_upload(client, tree):
    admin = make_user("ind_cs2", "county_admin", tree.county)
    client.force_login(admin)
    body = client.get("/indicators/import/").content.decode()
    assert "/imports/indicator_statistics/template/" in body and "/imports/indicator_statistics/" in body
    assert client.get("/imports/indicator_statistics/template/").status_code == 200
