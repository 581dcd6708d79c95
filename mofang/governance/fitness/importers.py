"""The 体质健康测试成绩 import: the file a school exports from its test equipment, through the
platform's one import path (template, every bad row by row and column, all-or-nothing,
idempotent upsert; COPY on PostgreSQL).

One file is one school year's results (this 学年). Each row is scored as it is checked, so the
written row already holds its item scores, total and band. The platform's writers upsert on one
column: the 学籍号 column's key is therefore the model's `student_year` (student id × 10⁴ +
year) — the parsed cell is the 学籍号, which also finds a repeated row in the file; `clean_row`
turns it into the key.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import parse_text
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.people.roll import current_school_year

from .models import FitnessResult, result_key
from .scoring import InvalidValue, check_value, items_for, parse_value
from .services import OUTCOME_FIELDS, outcome, scorable

IMPORT = "fitness.import_result"
LONG_RUN = "run_long"  # the 800/1000米 column: 1000米 for boys, 800米 for girls


def _parser(item: str):
    def parse(raw: str):
        try:
            return parse_value(item, raw)
        except InvalidValue as exc:
            raise ValidationError(str(exc)) from None

    return parse


# (column key, header, item code parsed as, example, help)
_ITEM_COLUMNS = [
    ("height_cm", "身高", "height_cm", "135.2", "厘米"),
    ("weight_kg", "体重", "weight_kg", "30.5", "千克"),
    ("vital_capacity", "肺活量", "vital_capacity", "1800", "毫升"),
    ("run_50m", "50米跑", "run_50m", "9.8", "秒"),
    ("sit_and_reach", "坐位体前屈", "sit_and_reach", "8.5", "厘米，可为负数"),
    ("rope_skipping_1min", "一分钟跳绳", "rope_skipping_1min", "120", "次，一至六年级"),
    ("situps_1min", "一分钟仰卧起坐", "situps_1min", "35", "次，三至六年级；初中起女生"),
    ("pullups", "引体向上", "pullups", "", "次，初中起男生"),
    ("standing_long_jump", "立定跳远", "standing_long_jump", "", "厘米，初中起"),
    ("run_50x8", "50米×8往返跑", "run_50x8", "", "分秒，如 1'52\"，五六年级"),
    (LONG_RUN, "800/1000米", "run_1000m", "", "分秒，如 3'55\"，初中起：男生1000米，女生800米"),
]


class FitnessResultImporter(Importer):
    code = "fitness_results"
    title = "体质健康测试成绩"
    permission = IMPORT
    natural_key = "student_year"
    chunk_size = 5000
    columns = [
        Column("student_year", "学籍号", parse=parse_text(30), example="G330822201809011232", help="全国学籍号"),
        *(
            Column(key, header, required=False, parse=_parser(item), example=example, help=help)
            for key, header, item, example, help in _ITEM_COLUMNS
        ),
    ]
    model = FitnessResult
    db_fields = (
        "student_year",
        "student_id",
        "school_year_id",
        "school_id",
        "klass_id",
        "grade",
        "sex",
        *OUTCOME_FIELDS,
        "updated_at",
    )

    def prepare(self, ctx):
        # the children the uploader may import for, on the roll: 学籍号 → (id, school, class, grade, sex)
        ctx.state["students"] = {
            no: (pk, school_id, klass_id, grade, sex)
            for no, pk, school_id, klass_id, grade, sex in Student.objects.visible_to(ctx.user, self.permission)
            .filter(status__in=(RollStatus.ENROLLED, RollStatus.SUSPENDED))
            .values_list("student_no", "id", "school_id", "klass_id", "grade", "sex")
            .iterator(chunk_size=20_000)
        }
        year = current_school_year()
        ctx.state["year"] = year.pk
        ctx.state["start_year"] = year.start_year
        ctx.state["stamp"] = timezone.now()
        ctx.state["items"] = {}

    def clean_row(self, v, ctx):
        state = ctx.state
        student = state["students"].get(v["student_year"])
        if student is None:  # unknown and out of scope read the same
            raise RowError("学籍号不存在或不在您的数据范围内", "学籍号")
        pk, school_id, klass_id, grade, sex = student
        if not scorable(grade):
            raise RowError("该生学籍中没有一至十二年级的年级，不能按标准评分", "学籍号")
        key = (grade, sex)
        allowed = state["items"].get(key)
        if allowed is None:
            allowed = state["items"][key] = frozenset(items_for(grade, sex))
        long_run = "run_1000m" if sex == "M" else "run_800m"
        values = {}
        errors = []
        for ckey, header, item, _example, _help in _ITEM_COLUMNS:
            value = v[ckey]
            if value is None:
                continue
            code = long_run if ckey == LONG_RUN else item
            if code not in allowed:
                errors.append((header, f"{header}不是该生年级（及性别）的测试项目，请留空"))
                continue
            try:
                check_value(code, value, grade, sex)
            except InvalidValue as exc:
                errors.append((header, str(exc)))
                continue
            values[code] = value
        if errors:
            raise RowError.several(errors)
        row = outcome(grade, sex, values)
        row["student_year"] = result_key(pk, state["start_year"])
        row["student_id"] = pk
        row["school_year_id"] = state["year"]
        row["school_id"] = school_id
        row["klass_id"] = klass_id
        row["grade"] = grade
        row["sex"] = sex
        row["updated_at"] = state["stamp"]
        return row


__all__ = ["FitnessResultImporter"]
