"""The student import and the roll: grade from 入学年份, 入学 history, updated_at."""

from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.imports.tests.conftest import STUDENT_HEADER, csv_bytes, student_row
from mofang.platform.people.importers import StudentImporter
from mofang.platform.people.models import ClassPlacement, RollEvent, Student

HEADER = STUDENT_HEADER + ["入学年份"]


def _run(roll, tmp_path, rows):
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes(HEADER, rows))
    return import_file(
        StudentImporter(), str(path), "学生.csv", ImportContext(user=roll.county_admin, org=roll.tree.county)
    )


def test_imported_students_get_their_grade_history_and_placement(roll, tmp_path):
    y = roll.year.start_year
    result = _run(
        roll,
        tmp_path,
        [
            student_row("G1", "张一", klass="二年级1班") + [str(y - 1)],
            student_row("G2", "张二") + [str(y - 5)],
            student_row("G3", "张三", klass="一年级1班") + [""],  # the class's grade says 一年级
        ],
    )
    assert result["error_count"] == 0, result["errors"]
    got = {s.student_no: (s.grade, s.entry_year, s.school_year_id) for s in Student.objects.all()}
    assert got == {"G1": (2, y - 1, roll.year.pk), "G2": (6, y - 5, roll.year.pk), "G3": (1, y, roll.year.pk)}
    assert RollEvent.objects.filter(kind="enrol", reason="名册导入").count() == 3
    assert ClassPlacement.objects.get(student__student_no="G1").klass == roll.grade2_class
    assert all(s.updated_at is not None for s in Student.objects.all())


def test_a_grade_that_does_not_match_the_class_or_the_school_is_reported_by_row(roll, tmp_path):
    y = roll.year.start_year
    result = _run(
        roll,
        tmp_path,
        [
            student_row("G1", "张一", klass="二年级1班") + [str(y)],
            student_row("G2", "张二") + [str(y - 6)],
            student_row("G3", "张三") + ["二〇二四"],
        ],
    )
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "班级"), (3, "入学年份"), (4, "入学年份")]
    assert "与班级的年级（二年级）不符" in result["errors"][0]["message"]
    assert "超出该校最高年级" in result["errors"][1]["message"]
    assert Student.objects.count() == 0 and RollEvent.objects.count() == 0


def test_reimporting_writes_no_second_history_row_and_moves_the_placement_with_the_class(roll, tmp_path):
    y = roll.year.start_year
    _run(roll, tmp_path, [student_row("G1", "张一", klass="一年级1班") + [str(y)]])
    before = Student.objects.get().updated_at
    _run(roll, tmp_path, [student_row("G1", "张一改", klass="一年级1班") + [str(y)]])
    s = Student.objects.get()
    assert s.name == "张一改" and s.updated_at > before
    assert RollEvent.objects.count() == 1
