"""The screening results' import template (视力筛查结果): one row per student and screening.

学籍号 must be a student the uploader may record for (one outside their scope reads the same as an
unknown one); a student appears once per screening round (学年 + 学期 of 筛查日期). Nothing is
written if any row is bad (the platform's import path)."""

from django.core.exceptions import ValidationError

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import parse_date, parse_text
from mofang.platform.people.models import Student

from . import services
from .models import round_of
from .roles import IMPORT

KEY = "学籍号+筛查学期"


def _cell(field):
    def parse(raw):
        value, problem = services.parse_value(raw, field)
        if problem:
            raise ValidationError(problem)
        return value

    return parse


def _glasses(raw):
    value, problem = services.parse_glasses(raw)
    if problem:
        raise ValidationError(problem)
    return value


def _date(raw):
    day = parse_date(raw)
    problem = services.check_date(day)
    if problem:
        raise ValidationError(problem)
    return day


class ScreeningImporter(Importer):
    code = "vision_screenings"
    title = "视力筛查结果"
    permission = IMPORT
    natural_key = KEY
    columns = [
        Column(
            "student_no", "学籍号", parse=parse_text(30), example="G330822201809010001", help="须为您数据范围内的学生"
        ),
        Column("right_acuity", "右眼裸眼视力", parse=_cell("right_acuity"), example="4.8", help="五分记录，4.0～5.3"),
        Column("left_acuity", "左眼裸眼视力", parse=_cell("left_acuity"), example="5.0", help="五分记录，4.0～5.3"),
        Column("right_sphere", "右眼球镜", required=False, parse=_cell("right_sphere"), example="-1.25"),
        Column("right_cylinder", "右眼柱镜", required=False, parse=_cell("right_cylinder"), example="-0.50"),
        Column("right_axis", "右眼轴位", required=False, parse=_cell("right_axis"), example="180", help="0～180"),
        Column("left_sphere", "左眼球镜", required=False, parse=_cell("left_sphere"), example="-0.25"),
        Column("left_cylinder", "左眼柱镜", required=False, parse=_cell("left_cylinder"), example=""),
        Column("left_axis", "左眼轴位", required=False, parse=_cell("left_axis"), example=""),
        Column("glasses", "戴镜情况", required=False, parse=_glasses, example="框架眼镜", help=services.GLASSES_HELP),
        Column("right_corrected", "右眼矫正视力", required=False, parse=_cell("right_corrected"), example=""),
        Column("left_corrected", "左眼矫正视力", required=False, parse=_cell("left_corrected"), example=""),
        Column("screened_on", "筛查日期", parse=_date, example="2026-10-15"),
    ]

    def row_parser(self, positions):
        parse = super().row_parser(positions)

        def with_key(row):
            values, errors = parse(row)
            day = values.get("screened_on")
            values[KEY] = (values.get("student_no"), round_of(day) if day else None)
            return values, errors

        return with_key

    def duplicate_message(self, value, first_line):
        return f"与第{first_line}行是同一学生的同一次筛查"

    def prepare(self, ctx):
        ctx.state["students"] = {
            no: (pk, school, klass, grade)
            for no, pk, school, klass, grade in Student.objects.visible_to(ctx.user, IMPORT).values_list(
                "student_no", "id", "school_id", "klass_id", "grade"
            )
        }

    def clean_row(self, v, ctx):
        found = ctx.state["students"].get(v["student_no"])
        errors = [] if found else [("学籍号", "学籍号不存在或不在您的数据范围内")]
        errors += [(services.FIELDS[f][0], m) for f, m in services.cross_check(v)]
        if errors:
            raise RowError.several(errors)
        pk, school, klass, grade = found
        return services.Result(
            student_id=pk,
            school_id=school,
            klass_id=klass,
            grade=grade,
            screened_on=v["screened_on"],
            values={f: v.get(f) for f in services.FIELDS},
            glasses=v.get("glasses") or "none",
        )

    def write(self, rows, ctx):
        counts = services.save_results(rows, acting_user=ctx.user, org=ctx.org, audit=False)
        ctx.state["letters"] = ctx.state.get("letters", 0) + counts["letters"]
        return counts["created"], counts["updated"]
