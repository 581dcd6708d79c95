"""The 体质健康测试成绩 import: rows scored at import, every bad row by row and column, nothing
written when any row is bad, re-import updates, scope."""

from decimal import Decimal

from mofang.governance.fitness.importers import FitnessResultImporter
from mofang.governance.fitness.models import FitnessResult
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.imports.tests.conftest import csv_bytes

HEADER = [
    "学籍号",
    "身高",
    "体重",
    "肺活量",
    "50米跑",
    "坐位体前屈",
    "一分钟跳绳",
    "一分钟仰卧起坐",
    "引体向上",
    "立定跳远",
    "50米×8往返跑",
    "800/1000米",
]


def grade5_row(student, **over):
    cells = {
        "学籍号": student.student_no,
        "身高": "142.5",
        "体重": "35.2",
        "肺活量": "2100",
        "50米跑": "9.1",
        "坐位体前屈": "9.5",
        "一分钟跳绳": "150",
        "一分钟仰卧起坐": "38",
        "50米×8往返跑": "1'45\"",
    }
    cells.update(over)
    return [cells.get(h, "") for h in HEADER]


def grade7_row(student, **over):
    cells = {
        "学籍号": student.student_no,
        "身高": "158",
        "体重": "47",
        "肺活量": "2900",
        "50米跑": "8.3",
        "坐位体前屈": "10",
        "立定跳远": "205",
        "引体向上" if student.sex == "M" else "一分钟仰卧起坐": "8" if student.sex == "M" else "40",
        "800/1000米": "4'05\"",
    }
    cells.update(over)
    return [cells.get(h, "") for h in HEADER]


def run(tmp_path, user, org, rows):
    path = tmp_path / "fitness.csv"
    path.write_bytes(csv_bytes(HEADER, rows))
    return import_file(FitnessResultImporter(), str(path), "体测.csv", ImportContext(user=user, org=org))


def test_good_rows_are_scored_and_stored_with_band_and_class(fit, tmp_path):
    result = run(tmp_path, fit.principal, fit.tree.school, [grade5_row(fit.boy), grade5_row(fit.girl)])
    assert result["error_count"] == 0, result["errors"]
    assert result["created"] == 2
    r = FitnessResult.objects.get(student=fit.boy)
    assert r.grade == 5 and r.sex == "M" and r.klass == fit.class5 and r.school == fit.tree.school
    assert r.run_50x8 == 105  # 1'45" in seconds
    assert r.total is not None and r.band in ("优秀", "良好", "及格", "不及格")
    assert r.score_bmi is not None and r.bmi is not None


def test_reimporting_the_same_year_updates_the_result(fit, tmp_path):
    run(tmp_path, fit.principal, fit.tree.school, [grade5_row(fit.boy)])
    again = run(tmp_path, fit.principal, fit.tree.school, [grade5_row(fit.boy, **{"50米跑": "8.2"})])
    assert again["error_count"] == 0 and again["created"] == 0 and again["updated"] == 1
    assert FitnessResult.objects.filter(student=fit.boy).count() == 1
    assert FitnessResult.objects.get(student=fit.boy).run_50m == Decimal("8.2")


def test_time_items_of_the_junior_school_by_sex(fit, tmp_path):
    result = run(tmp_path, fit.junior_principal, fit.junior, [grade7_row(fit.teen), grade7_row(fit.teen_girl)])
    assert result["error_count"] == 0, result["errors"]
    boy, girl = FitnessResult.objects.get(student=fit.teen), FitnessResult.objects.get(student=fit.teen_girl)
    assert boy.run_1000m == 245 and boy.run_800m is None
    assert girl.run_800m == 245 and girl.run_1000m is None


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(fit, tmp_path):
    rows = [
        grade5_row(fit.boy),  # line 2: good
        grade5_row(fit.girl, 肺活量="很多"),  # 3: unparsable
        grade5_row(fit.first, **{"50米×8往返跑": "1'50\""}),  # 4: not a 一年级 item
        ["G-NOBODY", "140", "35"],  # 5: unknown
        grade5_row(fit.outsider),  # 6: out of scope
        grade5_row(fit.boy),  # 7: duplicate of 2
        grade5_row(fit.girl, 身高="400"),  # 8: no child is 4 m tall
    ]
    result = run(tmp_path, fit.principal, fit.tree.school, rows)
    got = {(e["row"], e["column"]) for e in result["errors"]}
    assert {(3, "肺活量"), (4, "50米×8往返跑"), (5, "学籍号"), (6, "学籍号"), (7, "学籍号"), (8, "身高")} <= got
    assert 2 not in {e["row"] for e in result["errors"]}
    messages = {e["row"]: e["message"] for e in result["errors"]}
    assert messages[5] == messages[6]  # out of scope reads exactly as unknown
    assert "重复" in messages[7]
    assert FitnessResult.objects.count() == 0


def test_a_head_teacher_cannot_import_and_the_county_reaches_no_child_by_import(fit, tmp_path):
    # the county holds only the rates: no child is in its import scope
    result = run(tmp_path, fit.county, fit.tree.county, [grade5_row(fit.boy)])
    assert result["error_count"] == 1 and FitnessResult.objects.count() == 0


def test_the_import_page_is_the_schools_not_a_teachers_or_a_parents(client, fit):
    client.force_login(fit.principal)
    page = client.get("/imports/fitness_results/")
    assert page.status_code == 200 and "体质健康测试成绩" in page.content.decode()
    template = client.get("/imports/fitness_results/template/")
    assert template.status_code == 200
    for user in (fit.teacher, fit.parent, fit.county):
        client.force_login(user)
        assert client.get("/imports/fitness_results/").status_code == 404
