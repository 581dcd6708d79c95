"""The student roll import template (学生名册)."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import parse_code, parse_date, parse_id_number, parse_sex, parse_text

from .. import grades, identity
from ..models import ClassPlacement, RollEvent, RollEventKind, Student
from ..roll import current_school_year
from .scope import class_grades, classes_of, schools_in_scope


def parse_entry_year(raw: str) -> int:
    raw = raw.strip().removesuffix("年").removesuffix(".0")
    if not (len(raw) == 4 and raw.isdigit() and 1990 <= int(raw) <= 2100):
        raise ValidationError(gettext("入学年份应为4位年份，如 2024"))
    return int(raw)


def _history_inserts(source: str, where: str) -> tuple[str, str]:
    """The two INSERTs of the roll's history written for created students, over the student rows
    `s` of `source` (the table, or the upsert's WITH query) that match `where`: the 入学 event of
    each, and this year's placement of each with a grade of this school year. Their parameters:
    _event_params(…) then `where`'s; _placement_params(…) then `where`'s."""
    q = connection.ops.quote_name
    ev, pl = q(RollEvent._meta.db_table), q(ClassPlacement._meta.db_table)
    event = (
        f"INSERT INTO {ev} (student_id, kind, occurred_on, school_year_id, school_id, grade, klass_id, status, "
        f"other_school, reason, created_by_id, created_at) "
        f"SELECT s.id, %s, COALESCE(s.enrolled_on, %s), %s, s.school_id, s.grade, s.klass_id, s.status, '', "
        f"%s, %s, %s FROM {source} s WHERE {where}"
    )
    placement = (
        f"INSERT INTO {pl} (student_id, school_year_id, school_id, grade, klass_id) "
        f"SELECT s.id, %s, s.school_id, s.grade, s.klass_id FROM {source} s "
        f"WHERE s.school_year_id = %s AND s.grade IS NOT NULL AND {where}"
    )
    return event, placement


def _event_params(ctx, created_at) -> list:
    user_id = ctx.user.pk if ctx.user is not None and ctx.user.is_authenticated else None
    return [RollEventKind.ENROL, timezone.localdate(), ctx.state["year"].pk, "名册导入", user_id, created_at]


def _placement_params(ctx) -> list:
    return [ctx.state["year"].pk, ctx.state["year"].pk]


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
        Column(
            "id_number",
            "身份证号",
            parse=parse_id_number,
            example="330106201809011232",
            help="18位居民身份证号，校验位须正确",
        ),
        Column("school_code", "学校标识码", parse=parse_code(10, "学校标识码"), example="3301060001"),
        Column(
            "class_name",
            "班级",
            required=False,
            parse=parse_text(30),
            example="一年级1班",
            help="须为该校已有班级名称；可不填",
        ),
        Column("enrolled_on", "入学日期", required=False, parse=parse_date, example="2024-09-01"),
        Column(
            "entry_year",
            "入学年份",
            required=False,
            parse=parse_entry_year,
            example="2024",
            help="该生所在年级（届）入读本校起始年级的年份；不填时按所填班级的年级推算。年级由入学年份和学校类型算出",
        ),
    ]
    model = Student
    db_fields = (
        "student_no",
        "name",
        "sex",
        "birth_date",
        "school_id",
        "klass_id",
        "enrolled_on",
        "id_number_sealed",
        "id_number_hash",
        "id_number_masked",
        "entry_year",
        "grade",
        "school_year_id",
        "updated_at",
    )
    sealed_fields = {"id_number_sealed": "id_number_hash"}

    def prepare(self, ctx):
        schools = schools_in_scope(ctx, self.permission)
        ctx.state["schools"] = {code: pk for code, (pk, _path) in schools.items()}
        ctx.state["classes"] = classes_of(schools, ctx, self.permission)
        ctx.state["types"], ctx.state["class_grades"] = class_grades(schools, ctx, self.permission)
        ctx.state["ids"] = {}
        ctx.state["sealer"] = identity.Sealer()
        ctx.state["year"] = current_school_year()
        ctx.state["stamp"] = timezone.now()

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
        v["grade"] = None
        school_type = state["types"].get(school_id, "")
        year = state["year"].start_year
        entry_year = v["entry_year"]
        class_grade = state["class_grades"].get(class_id)
        if entry_year is None and class_grade is not None:  # the class's place in the tree says the grade
            entry_year = grades.entry_year_for(school_type, class_grade, year)
        if entry_year is not None and grades.has_grades(school_type):
            if entry_year > year:
                raise RowError(f"入学年份不能晚于本学年（{grades.school_year_name(year)}）", "入学年份")
            grade = grades.grade_for(school_type, entry_year, year)
            if grade > grades.last_grade(school_type):
                raise RowError(f"按入学年份 {entry_year}，该生本学年已超出该校最高年级，应为毕业生", "入学年份")
            if class_grade is not None and class_grade != grade:
                raise RowError(
                    f"按入学年份 {entry_year}，该生本学年在{grades.grade_name(school_type, grade)}，"
                    f"与班级的年级（{grades.grade_name(school_type, class_grade)}）不符",
                    "班级",
                )
            v["grade"] = grade
        v["entry_year"] = entry_year
        return v

    def to_db_row(self, r, ctx):
        idn = r["id_number"]
        sealer = ctx.state["sealer"]
        return (
            r["student_no"],
            r["name"],
            r["sex"],
            r["birth_date"],
            r["school_id"],
            r["klass_id"],
            r["enrolled_on"],
            sealer.seal(idn),
            sealer.lookup_hash(idn),
            identity.mask_id_number(idn),
            r["entry_year"],
            r["grade"],
            ctx.state["year"].pk if r["grade"] is not None else None,
            ctx.state["stamp"],
        )

    def after_write(self, ctx):
        """The roll's history for what the import did, set-based: an 入学 event and this year's
        placement for each student it created, and this year's placement moved with a class change."""
        self._history(ctx, "", [])

    def chunk_follow_ups(self, ctx):
        """The history of the students a chunk created, in the chunk's upsert: no look-up of the
        rows just written, no check for history that a new student cannot have."""
        event, placement = _history_inserts("w", "s.mofang_created")
        return [(event, _event_params(ctx, ctx.state["stamp"])), (placement, _placement_params(ctx))]

    def created_follow_ups(self, ctx):
        """The history of the students the pipelined writer COPYs in, written by PostgreSQL from
        their rows (by id range): an 入学 event for each and, with a grade of this school year,
        this year's placement — what after_write and chunk_follow_ups write for a created student."""
        q = connection.ops.quote_name
        event, placement = _history_inserts(q(Student._meta.db_table), "s.id BETWEEN %s AND %s")
        return [(event, _event_params(ctx, ctx.state["stamp"])), (placement, _placement_params(ctx))]

    def after_chunk(self, ctx, stage, key):
        """The same history for the students of one chunk of the pipelined write (PostgreSQL)."""
        q = connection.ops.quote_name
        self._history(ctx, f" AND s.{q(key)} IN (SELECT c.{q(key)} FROM {q(stage)} c)", [], chunk=True)
        return True

    def _history(self, ctx, only: str, only_params: list, chunk: bool = False):
        year, stamp = ctx.state["year"], ctx.state["stamp"]
        school_ids = list(ctx.state["schools"].values())
        if not school_ids:
            return
        q = connection.ops.quote_name
        st, ev, pl = (q(m._meta.db_table) for m in (Student, RollEvent, ClassPlacement))
        schools = ", ".join(["%s"] * len(school_ids))
        if chunk:  # the chunk's rows passed the scope checks: no need to list the schools
            touched, touched_params = f"s.updated_at >= %s{only}", [stamp, *only_params]
        else:
            touched = f"s.updated_at >= %s AND s.school_id IN ({schools}){only}"
            touched_params = [stamp, *school_ids, *only_params]
        event, _ = _history_inserts(st, f"{touched} AND NOT EXISTS (SELECT 1 FROM {ev} e WHERE e.student_id = s.id)")
        _, placement = _history_inserts(
            st, f"{touched} AND NOT EXISTS (SELECT 1 FROM {pl} p WHERE p.student_id = s.id AND p.school_year_id = %s)"
        )
        with connection.cursor() as cur:
            cur.execute(event, [*_event_params(ctx, timezone.now()), *touched_params])
            cur.execute(
                f"UPDATE {pl} SET klass_id = (SELECT s.klass_id FROM {st} s WHERE s.id = {pl}.student_id), "
                f"grade = (SELECT s.grade FROM {st} s WHERE s.id = {pl}.student_id) "
                f"WHERE school_year_id = %s AND student_id IN (SELECT s.id FROM {st} s WHERE {touched} "
                f"AND s.school_year_id = %s AND s.grade IS NOT NULL)",
                [year.pk, *touched_params, year.pk],
            )
            cur.execute(placement, [*_placement_params(ctx), *touched_params, year.pk])
