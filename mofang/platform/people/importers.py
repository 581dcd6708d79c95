"""Import templates for students and staff, through the platform's one import path."""

from mofang.platform.imports.base import Column, Importer, ImportContext, RowError, register_importer
from mofang.platform.imports.parsers import parse_code, parse_date, parse_id_number, parse_mobile, parse_sex, parse_text
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import identity
from .models import Staff, Student


def _schools_in_scope(ctx: ImportContext, perm: str) -> dict[str, int]:
    return dict(
        OrgUnit.objects.visible_to(ctx.user, perm)
        .filter(kind=OrgKind.SCHOOL)
        .values_list("code", "id")
    )


def _upsert(model, objs: list, key: str, update_fields: list[str]) -> tuple[int, int]:
    keys = [getattr(o, key) for o in objs]
    existing = set(model.objects.filter(**{f"{key}__in": keys}).values_list(key, flat=True))
    model.objects.bulk_create(objs, update_conflicts=True, unique_fields=[key], update_fields=update_fields)
    return len(objs) - len(existing), len(existing)


class StudentImporter(Importer):
    code = "students"
    title = "学生名册"
    permission = "people.import_student"
    natural_key = "student_no"
    columns = [
        Column("student_no", "学籍号", parse=parse_text(30), example="G330106201809011234", help="全国学籍号，唯一"),
        Column("name", "姓名", parse=parse_text(50), example="张小明"),
        Column("sex", "性别", parse=parse_sex, example="男", help="男 或 女"),
        Column("birth_date", "出生日期", parse=parse_date, example="2018-09-01", help="格式 2018-09-01"),
        Column("id_number", "身份证号", parse=parse_id_number, example="330106201809011234",
               help="18位居民身份证号，校验位须正确"),
        Column("school_code", "学校标识码", parse=parse_code(10, "学校标识码"), example="3301060001"),
        Column("class_name", "班级", required=False, parse=parse_text(30), example="一年级1班",
               help="须为该校已有班级名称；可不填"),
        Column("enrolled_on", "入学日期", required=False, parse=parse_date, example="2024-09-01"),
    ]

    def prepare(self, ctx):
        ctx.state["schools"] = _schools_in_scope(ctx, self.permission)
        ctx.state["classes"] = {}
        ctx.state["ids"] = {}

    def _class_id(self, ctx, school_id: int, name: str) -> int | None:
        classes = ctx.state["classes"]
        if school_id not in classes:
            school = OrgUnit.objects.get(pk=school_id)
            classes[school_id] = dict(
                OrgUnit.objects.filter(path__startswith=school.path, kind=OrgKind.CLASS).values_list("name", "id")
            )
        return classes[school_id].get(name)

    def clean_row(self, v, ctx):
        school_id = ctx.state["schools"].get(v["school_code"])
        if school_id is None:
            raise RowError("学校不存在或不在您的数据范围内", "学校标识码")
        idn = v["id_number"]
        if identity.id_birth_date(idn) != v["birth_date"]:
            raise RowError("出生日期与身份证号不一致", "出生日期")
        if identity.id_sex(idn) != v["sex"]:
            raise RowError("性别与身份证号不一致", "性别")
        if idn in ctx.state["ids"]:
            raise RowError(f"身份证号与学籍号 {ctx.state['ids'][idn]} 重复", "身份证号")
        ctx.state["ids"][idn] = v["student_no"]
        class_id = None
        if v["class_name"]:
            class_id = self._class_id(ctx, school_id, v["class_name"])
            if class_id is None:
                raise RowError("该校没有这个班级", "班级")
        return {**v, "school_id": school_id, "klass_id": class_id}

    def write(self, rows, ctx):
        objs = []
        for r in rows:
            s = Student(student_no=r["student_no"], name=r["name"], sex=r["sex"], birth_date=r["birth_date"],
                        school_id=r["school_id"], klass_id=r["klass_id"], enrolled_on=r["enrolled_on"])
            s.set_id_number(r["id_number"])
            objs.append(s)
        return _upsert(Student, objs, "student_no", [
            "name", "sex", "birth_date", "school", "klass", "enrolled_on",
            "id_number_sealed", "id_number_hash", "id_number_masked",
        ])


class StaffImporter(Importer):
    code = "staff"
    title = "教职工名册"
    permission = "people.import_staff"
    natural_key = "staff_no"
    columns = [
        Column("staff_no", "工号", parse=parse_text(30), example="T3301060001001"),
        Column("name", "姓名", parse=parse_text(50), example="毛玉梅"),
        Column("sex", "性别", parse=parse_sex, example="女"),
        Column("id_number", "身份证号", parse=parse_id_number, example="330822198503120027"),
        Column("phone", "手机号", parse=parse_mobile, example="13800000000"),
        Column("org_code", "单位代码", parse=parse_text(20), example="3308220001", help="学校标识码或行政区划代码"),
        Column("position", "岗位", required=False, parse=parse_text(50), example="教师"),
        Column("subject", "任教学科", required=False, parse=parse_text(30), example="语文"),
    ]

    def prepare(self, ctx):
        ctx.state["orgs"] = dict(
            OrgUnit.objects.visible_to(ctx.user, self.permission).exclude(code=None).values_list("code", "id")
        )

    def clean_row(self, v, ctx):
        org_id = ctx.state["orgs"].get(v["org_code"])
        if org_id is None:
            raise RowError("单位不存在或不在您的数据范围内", "单位代码")
        if identity.id_sex(v["id_number"]) != v["sex"]:
            raise RowError("性别与身份证号不一致", "性别")
        return {**v, "org_id": org_id}

    def write(self, rows, ctx):
        objs = []
        for r in rows:
            s = Staff(staff_no=r["staff_no"], name=r["name"], sex=r["sex"], org_id=r["org_id"],
                      position=r["position"] or "", subject=r["subject"] or "")
            s.set_id_number(r["id_number"])
            s.set_phone(r["phone"])
            objs.append(s)
        return _upsert(Staff, objs, "staff_no", [
            "name", "sex", "org", "position", "subject", "id_number_sealed", "id_number_hash",
            "id_number_masked", "phone_sealed", "phone_masked",
        ])


register_importer(StudentImporter())
register_importer(StaffImporter())

__all__ = ["StudentImporter", "StaffImporter"]
