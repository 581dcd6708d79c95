"""Import templates for 代课 and 托管 records, through the platform's one import path.

Natural key: 记录编号 (the school's own number for the record, unique within its bank). Importing
the same file again changes nothing; a number already recorded with different content is an
error on that row, because a credited record can only be undone by a correction (冲正).
Teachers are identified by 工号; the teacher must work at a school whose bank the importing
user may record work for. Nothing is written unless every row is valid.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, ImportContext, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_date, parse_text
from mofang.platform.people.models import Staff

from .models import Bank
from .models.records import MAX_PERIODS_PER_RECORD
from .services.work import AFTERSCHOOL, SUBSTITUTION, WorkItem, manual_duty_refusal, post_work, validate_work

# Service-level field names → the template's column headers (so errors name the column).
_FIELD_HEADERS = {
    "staff": "教师工号",
    "absent": "被代课教师工号",
    "date": "日期",
    "periods": "课时数",
    "record_no": "记录编号",
    "note": "备注",
}


def parse_periods(raw: str) -> int:
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError(gettext("课时数应为整数")) from None
    if not value.is_integer():
        raise ValidationError(gettext("课时数应为整数"))
    if not 1 <= value <= MAX_PERIODS_PER_RECORD:
        raise ValidationError(
            gettext("课时数应为1至{max_periods_per_record}之间的整数").format(
                max_periods_per_record=MAX_PERIODS_PER_RECORD
            )
        )
    return int(value)


class _WorkImporter(Importer):
    kind = SUBSTITUTION
    permission = "timebank.record_work"
    natural_key = "record_no"
    chunk_size = 2000

    def prepare(self, ctx: ImportContext) -> None:
        banks = {b.school.path: b for b in Bank.objects.visible_to(ctx.user, self.permission).select_related("school")}
        ctx.state["banks"] = banks
        ctx.state["staff"] = {}

    def _staff(self, ctx, staff_no: str, column: str, name: str | None = None):
        cache = ctx.state["staff"]
        if staff_no not in cache:
            cache[staff_no] = Staff.objects.select_related("org").filter(staff_no=staff_no).first()
        staff = cache[staff_no]
        bank = staff and self._bank_of(ctx, staff.org.path)
        if staff is None or bank is None:
            raise RowError("教师不存在，或所在学校未开通时间银行、不在您的数据范围内", column)
        if name and name != staff.name:
            raise RowError(f"姓名与工号不一致（该工号为{staff.name}）", column.replace("工号", "姓名"))
        return staff, bank

    @staticmethod
    def _bank_of(ctx, path: str):
        banks, step = ctx.state["banks"], 4  # OrgUnit.steplen
        return next((banks[path[:i]] for i in range(step, len(path) + 1, step) if path[:i] in banks), None)

    def _recorded(self, ctx, bank) -> dict:
        """record_no → (staff id, date, periods, absent id) already recorded at `bank`, loaded once."""
        cache = ctx.state.setdefault("recorded", {})
        if bank.pk not in cache:
            rows = self.kind.model.objects.filter(bank=bank).values_list(
                "record_no",
                "account__staff_id",
                "date",
                "periods",
                *(["absent_id"] if self.kind is SUBSTITUTION else []),
            )
            cache[bank.pk] = {r[0]: (r[1], r[2], r[3], r[4] if len(r) > 4 else None) for r in rows}
        return cache[bank.pk]

    def item(self, v, staff, absent) -> WorkItem:
        return WorkItem(
            staff=staff,
            date=v["date"],
            periods=v["periods"],
            record_no=v["record_no"],
            absent=absent,
            note=v.get("note") or "",
        )

    def clean_row(self, v, ctx):
        staff, bank = self._staff(ctx, v["staff_no"], "教师工号", v.get("name"))
        absent = None
        if v.get("absent_no"):
            absent, _bank = self._staff(ctx, v["absent_no"], "被代课教师工号")
        item = self.item(v, staff, absent)
        if self.kind is AFTERSCHOOL:
            closed = manual_duty_refusal(bank.school)
            if closed:
                raise RowError(closed, "教师工号")
        try:
            validate_work(self.kind, bank, item)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise RowError("；".join(messages), _FIELD_HEADERS.get(field, "")) from None
        before = self._recorded(ctx, bank).get(item.record_no)
        if before is not None and before != (staff.pk, item.date, item.periods, absent.pk if absent else None):
            raise RowError("该记录编号已登记且内容不同；已入账的记录不能修改，如有错误请由银行专管处冲正", "记录编号")
        return {"bank": bank, "item": item}

    def write(self, rows, ctx):
        created = 0
        by_bank: dict[int, tuple] = {}
        for r in rows:
            by_bank.setdefault(r["bank"].pk, (r["bank"], []))[1].append(r["item"])
        for bank, items in by_bank.values():
            new, _unchanged = post_work(self.kind, bank, items, acting_user=ctx.user, source="导入")
            created += len(new)
        return created, 0


class SubstitutionImporter(_WorkImporter):
    code = "timebank_substitutions"
    title = "代课记录"
    kind = SUBSTITUTION
    columns = [
        Column(
            "record_no",
            "记录编号",
            parse=parse_text(40),
            example="DK2026-0001",
            help="学校自编的记录编号，本校唯一；重复导入同一编号不会重复入账",
        ),
        Column("staff_no", "教师工号", parse=parse_text(30), example="T3308220001001", help="代课教师的工号"),
        Column("name", "教师姓名", required=False, parse=parse_text(50), example="毛玉梅", help="填写时须与工号一致"),
        Column("absent_no", "被代课教师工号", required=False, parse=parse_text(30), example="T3308220001002"),
        Column("date", "日期", parse=parse_date, example="2026-10-15", help="代课日期，不能晚于今天"),
        Column("periods", "课时数", parse=parse_periods, example="2", help=f"1至{MAX_PERIODS_PER_RECORD}的整数"),
        Column("note", "备注", required=False, parse=parse_text(200), example="病假代课"),
    ]


class AfterSchoolDutyImporter(_WorkImporter):
    code = "timebank_duties"
    title = "课后托管记录"
    kind = AFTERSCHOOL
    columns = [
        Column(
            "record_no",
            "记录编号",
            parse=parse_text(40),
            example="TG2026-0001",
            help="学校自编的记录编号，本校唯一；重复导入同一编号不会重复入账",
        ),
        Column("staff_no", "教师工号", parse=parse_text(30), example="T3308220001001"),
        Column("name", "教师姓名", required=False, parse=parse_text(50), example="毛玉梅", help="填写时须与工号一致"),
        Column("date", "日期", parse=parse_date, example="2026-10-15", help="托管日期，不能晚于今天"),
        Column("periods", "课时数", parse=parse_periods, example="1", help=f"1至{MAX_PERIODS_PER_RECORD}的整数"),
        Column("note", "备注", required=False, parse=parse_text(200), example="四年级托管班"),
    ]


def register() -> None:
    register_importer(SubstitutionImporter())
    register_importer(AfterSchoolDutyImporter())
