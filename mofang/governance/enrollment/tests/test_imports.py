"""Imports of 学区划分, 户籍适龄儿童 and 招生计划 through the platform's import path: good files
land and refresh the warnings; bad rows are reported per row and column in Chinese and
nothing is written."""

import csv
import io

import pytest

from mofang.governance.enrollment import services
from mofang.governance.enrollment.importers import CommunityImporter, HouseholdChildImporter, IntakePlanImporter
from mofang.governance.enrollment.models import (
    Community,
    EnrollmentSchool,
    HouseholdChild,
    IntakePlan,
    IntakeWarning,
    Level,
    Stage,
)
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file

from .conftest import born

COMMUNITY = ["区县代码", "小区名称", "地址关键词", "学区小学标识码", "学区初中标识码", "经度", "纬度"]
CHILD = ["区县代码", "交换记录号", "出生日期", "户籍所在小区", "登记类型"]
PLAN = ["学校标识码", "招生年份", "学段", "班级数", "班额", "分流学校标识码", "分流说明"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run(tmp_path):
    def run(importer, header, rows, user, org):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        path = tmp_path / f"{importer.code}.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        return import_file(importer, str(path), path.name, ImportContext(user=user, org=org))

    return run


def _errors(result):
    return {(e["row"], e["column"], e["message"]) for e in result["errors"]}


def test_the_three_importers_are_registered():
    assert {"enrollment_communities", "enrollment_children", "enrollment_plans"} <= set(IMPORTERS)


def test_a_whole_county_imports_and_the_warning_follows(district, run):
    y0 = district.years[0]
    admin, county = district.admin, district.tree.county
    r = run(
        CommunityImporter(),
        COMMUNITY,
        [
            ["330822", "紫港社区", "紫港街道", "3308220001、3308220009", "3308220002", "118.52", "28.91"],
            ["330822", "定阳花园", "天马街道 定阳路", "3308220001", "", "", ""],
        ],
        admin,
        county,
    )
    assert r["error_count"] == 0, r["errors"]
    assert (r["created"], r["updated"]) == (1, 1)
    zigang = Community.objects.get(name="紫港社区")
    assert {s.code for s in zigang.primary_schools.all()} == {"3308220001", "3308220009"}
    assert not Community.objects.get(name="定阳花园").junior_schools.exists()  # the mapping is replaced

    day = born(Stage.PRIMARY, y0).isoformat()
    r = run(
        HouseholdChildImporter(),
        CHILD,
        [["330822", f"GA{i}", day, "紫港社区", "户籍" if i % 2 else "居住证"] for i in range(9)],
        admin,
        county,
    )
    assert r["error_count"] == 0, r["errors"]
    assert HouseholdChild.objects.count() == 9

    r = run(
        IntakePlanImporter(),
        PLAN,
        [
            ["3308220001", str(y0), "小学", "1", "10", "3308220009", "统筹至杭州小学"],
            ["3308220009", str(y0), "小学", "1", "9", "", ""],
            ["3308220002", str(y0), "初中", "4", "50", "", ""],
        ],
        admin,
        county,
    )
    assert r["error_count"] == 0, r["errors"]
    assert IntakePlan.objects.get(school=district.primary, year=y0).seats == 10
    assert IntakeWarning.objects.get(school=district.primary, year=y0, stage=Stage.PRIMARY).level == Level.YELLOW
    assert IntakeWarning.objects.get(school=district.hz, year=y0, stage=Stage.PRIMARY).level == Level.RED
    assert EnrollmentSchool.objects.get(school=district.primary).overflow_school == district.hz

    # re-importing the same children is idempotent
    r = run(HouseholdChildImporter(), CHILD, [["330822", "GA1", day, "定阳花园", ""]], admin, county)
    assert (r["created"], r["updated"]) == (0, 1) and HouseholdChild.objects.count() == 9


def test_bad_child_rows_are_reported_per_row_and_nothing_is_written(district, run):
    y0 = district.years[0]
    day = born(Stage.PRIMARY, y0).isoformat()
    r = run(
        HouseholdChildImporter(),
        CHILD,
        [
            ["330822", "GA1", day, "定阳花园", "户籍"],
            ["330822", "GA2", day, "没有的小区", "户籍"],
            ["330822", "GA3", "2099-01-01", "定阳花园", "户籍"],
            ["330822", "GA4", "昨天", "定阳花园", "户籍"],
            ["330822", "GA1", day, "定阳花园", "户籍"],
            ["330881", "GA5", day, "江山小区", "户籍"],
            ["330822", "GA6", day, "定阳花园", "暂住"],
        ],
        district.admin,
        district.tree.county,
    )
    errors = _errors(r)
    assert (3, "户籍所在小区", "该区县没有这个小区，请先导入学区划分") in errors
    assert (4, "出生日期", "出生日期不能晚于今天") in errors
    assert (5, "出生日期", "日期格式应为 2026-09-01") in errors
    assert (6, "区县代码+交换记录号", "与第2行重复") in errors
    assert (7, "区县代码", "区县不存在或不在您的数据范围内") in errors
    assert (8, "登记类型", "登记类型应为：户籍、居住证") in errors
    assert r["bad_rows"] == 6 and r["created"] == 0
    assert not HouseholdChild.objects.exists()


def test_bad_plan_and_community_rows_name_their_column(district, run):
    r = run(
        IntakePlanImporter(),
        PLAN,
        [
            ["3308220001", "2027", "初中", "1", "10", "", ""],
            ["3308810001", "2027", "小学", "1", "10", "", ""],
            ["3308220001", "2027", "小学", "0", "10", "", ""],
            ["3308220001", "2028", "小学", "2", "45", "3308220001", ""],
        ],
        district.admin,
        district.tree.county,
    )
    errors = _errors(r)
    assert (2, "学段", "常山县第一小学不招收初中新生") in errors
    assert (3, "学校标识码", "学校不存在或不在您的数据范围内") in errors
    assert (4, "班级数", "应为1到60之间的整数") in errors
    assert (5, "分流学校标识码", "分流学校不能是本校") in errors
    assert not IntakePlan.objects.exists()

    r = run(
        CommunityImporter(),
        COMMUNITY,
        [
            ["330822", "甲小区", "", "3308220002", "", "", ""],
            ["330822", "乙小区", "", "123", "", "", ""],
            ["330822", "丙小区", "", "", "", "118.5", ""],
        ],
        district.admin,
        district.tree.county,
    )
    errors = _errors(r)
    assert (2, "学区小学标识码", "常山县第一初级中学不招收小学新生") in errors
    assert (3, "学区小学标识码", "学校标识码应为10位数字，多个用“、”分隔：123") in errors
    assert (4, "经度", "经度和纬度应同时填写") in errors
    assert not Community.objects.filter(name__in=["甲小区", "乙小区", "丙小区"]).exists()


def test_another_county_cannot_import_into_changshan(district, run):
    r = run(
        IntakePlanImporter(),
        PLAN,
        [["3308220001", "2027", "小学", "1", "10", "", ""]],
        district.other_admin,
        district.tree.other_county,
    )
    assert (2, "学校标识码", "学校不存在或不在您的数据范围内") in _errors(r)
    assert services.intake_years()  # and nothing was written
    assert not IntakePlan.objects.exists()


def test_a_county_administrator_imports_through_the_upload_page(district, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    c = Client()
    c.force_login(district.admin)
    body = c.get("/imports/").content.decode()
    assert "学区划分" in body and "户籍适龄儿童" in body and "招生计划" in body
    template = c.get("/imports/enrollment_children/template/")
    assert template.status_code == 200 and "spreadsheetml" in template["Content-Type"]
    content = "\n".join([",".join(COMMUNITY), "330822,上传小区,,3308220001,,,"]).encode("utf-8")
    with django_capture_on_commit_callbacks(execute=True):  # the import job starts after the commit
        r = c.post("/imports/enrollment_communities/", {"file": SimpleUploadedFile("学区.csv", content)})
    assert r.status_code == 302
    assert Community.objects.get(name="上传小区").primary_schools.get() == district.primary


def test_a_school_principal_cannot_import_enrollment_data(district):
    from django.test import Client

    from mofang.platform.testing import make_user

    c = Client()
    c.force_login(make_user("principal_cs1", "principal", district.primary))
    assert c.get("/imports/enrollment_plans/").status_code == 404
