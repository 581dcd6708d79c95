from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.testing import make_user

HEADER = "学校标识码,学校名称,学校类型,办学性质,所属区县代码,地址,经度,纬度\n"


def _run(tmp_path, body, user, org):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return import_file(IMPORTERS["schools"], str(path), "schools.csv", ImportContext(user=user, org=org))


def test_new_schools_are_placed_under_their_county_and_reimport_updates(tmp_path, tree):
    user = make_user("cs", "county_admin", tree.county)
    body = "3308220002,常山县第二小学,小学,公办,330822,天马街道,118.51,28.90\n"
    assert _run(tmp_path, body, user, tree.county)["created"] == 1
    school = OrgUnit.objects.get(code="3308220002")
    assert school.path.startswith(tree.county.path) and school.get_school_type_display() == "小学"
    again = _run(tmp_path, body.replace("常山县第二小学", "常山县第二实验小学"), user, tree.county)
    assert (again["created"], again["updated"]) == (0, 1)
    assert OrgUnit.objects.get(code="3308220002").name == "常山县第二实验小学"
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, tree):
    user = make_user("cs", "county_admin", tree.county)
    body = (
        "3308220002,常山县第二小学,小学,公办,330822,,,\n"
        "33082200,短码,小学,公办,330822,,,\n"
        "3308220003,类型错,大学堂,公办,330822,,,\n"
        "3308810009,外县,小学,公办,330881,,,\n"
    )
    result = _run(tmp_path, body, user, tree.county)
    errors = {(e["row"], e["column"]) for e in result["errors"]}
    assert errors == {(3, "学校标识码"), (4, "学校类型"), (5, "所属区县代码")}
    assert not OrgUnit.objects.filter(code="3308220002").exists()
