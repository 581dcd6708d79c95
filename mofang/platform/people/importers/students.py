"""The student roll import template (学生名册)."""

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import (
    parse_code,
    parse_date,
    parse_id_number,
    parse_sex,
    parse_text,
)

from .. import identity
from ..models import Student
from .scope import classes_of, schools_in_scope


class StudentImporter(Importer):
    code = "students"
    title = "学生名册"
    permission = "people.import_student"
    natural_key = "student_no"
    chunk_size = 5000
    columns = [
        Column("student_no", "学籍号", parse=parse_text(30), example="G330106201809011232", help="全国学籍号，唯一"),
        Column("name", "姓名", parse=parse_text(50), example="张小明"),
        Column("sex", "性别", parse=parse_sex, example="男", help="男 或 女"),
        Column("birth_date", "出生日期", parse=parse_date, example="2018-09-01", help="格式 2018-09-01"),
        Column("id_number", "身份证号", parse=parse_id_number, example="330106201809011232",
               help="18位居民身份证号，校验位须正确"),
        Column("school_code", "学校标识码", parse=parse_code(10, "学校标识码"), example="3301060001"),
        Column("class_name", "班级", required=False, parse=parse_text(30), example="一年级1班",
               help="须为该校已有班级名称；可不填"),
        Column("enrolled_on", "入学日期", required=False, parse=parse_date, example="2024-09-01"),
    ]
    model = Student
    db_fields = ("student_no", "name", "sex", "birth_date", "school_id", "klass_id", "enrolled_on",
                 "id_number_sealed", "id_number_hash", "id_number_masked")
    sealed_fields = {"id_number_sealed": "id_number_hash"}

    def prepare(self, ctx):
        schools = schools_in_scope(ctx, self.permission)
        ctx.state["schools"] = {code: pk for code, (pk, _path) in schools.items()}
        ctx.state["classes"] = classes_of(schools, ctx, self.permission)
        ctx.state["ids"] = {}
        ctx.state["sealer"] = identity.Sealer()

    def clean_row(self, v, ctx):
        state = ctx.state
        school_id = state["schools"].get(v["school_code"])
        if school_id is None:
            raise RowError("学校不存在或不在您的数据范围内", "学校标识码")
        idn = v["id_number"]
        if identity.id_birth_date(idn) != v["birth_date"]:
            raise RowError("出生日期与身份证号不一致", "出生日期")
        if identity.id_sex(idn) != v["sex"]:
            raise RowError("性别与身份证号不一致", "性别")
        first = state["ids"].setdefault(idn, v["student_no"])
        if first != v["student_no"]:
            raise RowError(f"身份证号与学籍号 {first} 重复", "身份证号")
        class_id = None
        if v["class_name"]:
            class_id = state["classes"].get((school_id, v["class_name"]))
            if class_id is None:
                raise RowError("该校没有这个班级", "班级")
        v["school_id"] = school_id
        v["klass_id"] = class_id
        return v

    def to_db_row(self, r, ctx):
        idn = r["id_number"]
        sealer = ctx.state["sealer"]
        return (r["student_no"], r["name"], r["sex"], r["birth_date"], r["school_id"], r["klass_id"], r["enrolled_on"],
                sealer.seal(idn), sealer.lookup_hash(idn), identity.mask_id_number(idn))
