"""Import templates for students and staff, through the platform's one import path.

Both declare their model and how a cleaned row maps onto it; the platform writes the rows
(COPY + one upsert on PostgreSQL, bulk upsert elsewhere). A province's student roll is a
million rows, so the per-row code here is kept to dictionary look-ups and the identity checks.
"""

from mofang.platform.imports.base import Column, ImportContext, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_code, parse_date, parse_id_number, parse_mobile, parse_sex, parse_text
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import identity
from .models import Staff, Student


def _schools_in_scope(ctx: ImportContext, perm: str) -> dict[str, tuple[int, str]]:
    """学校标识码 → (id, path) for the schools the user may import into."""
    return {code: (pk, path) for code, pk, path in
            OrgUnit.objects.visible_to(ctx.user, perm).filter(kind=OrgKind.SCHOOL).values_list("code", "id", "path")}


def _classes_of(schools: dict[str, tuple[int, str]], ctx: ImportContext, perm: str) -> dict[tuple[int, str], int]:
    """(school id, class name) → class id, for every class under those schools, in one query."""
    school_at = {path: pk for pk, path in schools.values()}
    step = OrgUnit.steplen
    classes = {}
    for path, name, pk in (OrgUnit.objects.visible_to(ctx.user, perm).filter(kind=OrgKind.CLASS)
                           .values_list("path", "name", "id")):
        for end in range(step, len(path), step):
            school_id = school_at.get(path[:end])
            if school_id is not None:
                classes[(school_id, name)] = pk
                break
    return classes


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
        schools = _schools_in_scope(ctx, self.permission)
        ctx.state["schools"] = {code: pk for code, (pk, _path) in schools.items()}
        ctx.state["classes"] = _classes_of(schools, ctx, self.permission)
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


class StaffImporter(Importer):
    code = "staff"
    title = "教职工名册"
    permission = "people.import_staff"
    natural_key = "staff_no"
    columns = [
        Column("staff_no", "工号", parse=parse_text(30), example="T3308220001001"),
        Column("name", "姓名", parse=parse_text(50), example="毛玉梅"),
        Column("sex", "性别", parse=parse_sex, example="女"),
        Column("id_number", "身份证号", parse=parse_id_number, example="330822198503120026"),
        Column("phone", "手机号", parse=parse_mobile, example="13800000000"),
        Column("org_code", "单位代码", parse=parse_text(20), example="3308220001", help="学校标识码或行政区划代码"),
        Column("position", "岗位", required=False, parse=parse_text(50), example="教师"),
        Column("subject", "任教学科", required=False, parse=parse_text(30), example="语文"),
    ]
    model = Staff
    db_fields = ("staff_no", "name", "sex", "org_id", "position", "subject", "id_number_sealed", "id_number_hash",
                 "id_number_masked", "phone_sealed", "phone_masked")
    sealed_fields = {"id_number_sealed": "id_number_hash"}

    def prepare(self, ctx):
        ctx.state["orgs"] = dict(
            OrgUnit.objects.visible_to(ctx.user, self.permission).exclude(code=None).values_list("code", "id")
        )
        ctx.state["sealer"] = identity.Sealer()

    def clean_row(self, v, ctx):
        org_id = ctx.state["orgs"].get(v["org_code"])
        if org_id is None:
            raise RowError("单位不存在或不在您的数据范围内", "单位代码")
        if identity.id_sex(v["id_number"]) != v["sex"]:
            raise RowError("性别与身份证号不一致", "性别")
        v["org_id"] = org_id
        return v

    def to_db_row(self, r, ctx):
        idn, phone = r["id_number"], r["phone"]
        sealer = ctx.state["sealer"]
        return (r["staff_no"], r["name"], r["sex"], r["org_id"], r["position"] or "", r["subject"] or "",
                sealer.seal(idn), sealer.lookup_hash(idn), identity.mask_id_number(idn),
                sealer.seal(phone), identity.mask_mobile(phone))


register_importer(StudentImporter())
register_importer(StaffImporter())

__all__ = ["StudentImporter", "StaffImporter"]
