"""The import template 教师积分记录 (teacher_dev_activities), through the platform's one import path:
教学工作量, 继续教育学时, 家访, 公开课 and 获奖 — one row a record. 代课 and 托管 are not imported here:
they come from the time bank's records.

Natural key: 记录编号 (the school's number, unique within the school). Importing the same file
again changes nothing; a number already recorded with different content is an error on that
row. Teachers by 工号 (checked against 姓名 when given), within the importer's data scope.
Every bad row is reported and nothing is written unless every row is valid."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, ImportContext, Importer, RowError
from mofang.platform.imports.parsers import parse_date, parse_text
from mofang.platform.people.models import Staff

from . import services
from .models import IMPORTED, ActivityRecord, Category
from .roles import IMPORT

CATEGORY_NAMES = {str(Category(c).label): c for c in IMPORTED}
CATEGORY_HELP = "、".join(CATEGORY_NAMES)


def parse_category(raw: str) -> str:
    value = CATEGORY_NAMES.get((raw or "").strip())
    if value is None:
        if (raw or "").strip() in (str(Category.SUBSTITUTION.label), str(Category.AFTERSCHOOL.label)):
            raise ValidationError(gettext("代课与托管由时间银行记录计分，不在此导入"))
        raise ValidationError(gettext("类别应为：{names}").format(names=CATEGORY_HELP))
    return value


def parse_quantity(raw: str) -> Decimal:
    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation:
        raise ValidationError(gettext("数量应为数字")) from None
    if not value.is_finite() or not Decimal("0") < value <= Decimal("1000"):
        raise ValidationError(gettext("数量应大于0且不超过1000"))
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError(gettext("数量最多一位小数"))
    return value


def parse_day(raw: str):
    day = parse_date(raw)
    if day > timezone.localdate():
        raise ValidationError(gettext("日期不能晚于今天"))
    if day.year < 2000:
        raise ValidationError(gettext("日期不正确"))
    return day


class ActivityImporter(Importer):
    code = "teacher_dev_activities"
    title = "教师积分记录"
    permission = IMPORT
    natural_key = "record_no"
    columns = [
        Column("record_no", "记录编号", parse=parse_text(40), example="JF-2026-0001", help="本校唯一"),
        Column("staff_no", "教师工号", parse=parse_text(30), example="T00000001", help="须为您数据范围内的教师"),
        Column("name", "姓名", required=False, parse=parse_text(50), example="毛玉梅", help="填写时核对工号"),
        Column("category", "类别", parse=parse_category, example="家访", help=CATEGORY_HELP),
        Column("date", "日期", parse=parse_day, example="2026-10-15"),
        Column(
            "quantity",
            "数量",
            parse=parse_quantity,
            example="1",
            help="教学工作量、继续教育按课时/学时，家访按户次，公开课按节，获奖按项",
        ),
        Column("title", "事项", parse=parse_text(200), example="一年级1班学生家访"),
    ]

    def prepare(self, ctx: ImportContext) -> None:
        ctx.state["staff"] = {s.staff_no: s for s in Staff.objects.visible_to(ctx.user, IMPORT).select_related("org")}
        ctx.state["schools"] = {}
        ctx.state["recorded"] = {}

    def _school(self, ctx, staff):
        cache = ctx.state["schools"]
        if staff.org_id not in cache:
            cache[staff.org_id] = staff.org.school
        return cache[staff.org_id]

    def _recorded(self, ctx, school) -> dict:
        cache = ctx.state["recorded"]
        if school.pk not in cache:
            cache[school.pk] = {
                r[0]: r[1:]
                for r in ActivityRecord.objects.filter(school=school).values_list(
                    "record_no", "staff_id", "category", "date", "quantity", "title"
                )
            }
        return cache[school.pk]

    def clean_row(self, v, ctx):
        staff = ctx.state["staff"].get(v["staff_no"])
        if staff is None:
            raise RowError("教师工号不存在或不在您的数据范围内", "教师工号")
        if v.get("name") and v["name"] != staff.name:
            raise RowError(f"姓名与工号不一致（该工号为{staff.name}）", "姓名")
        school = self._school(ctx, staff)
        if school is None:
            raise RowError("该教师不在任何学校任职", "教师工号")
        item = services.Activity(
            school_id=school.pk,
            staff_id=staff.pk,
            record_no=v["record_no"],
            category=v["category"],
            date=v["date"],
            quantity=v["quantity"],
            title=v["title"],
        )
        before = self._recorded(ctx, school).get(item.record_no)
        if before is not None and before != (staff.pk, item.category, item.date, item.quantity, item.title):
            raise RowError("该记录编号已导入且内容不同；已导入的记录不能修改", "记录编号")
        return item

    def write(self, rows, ctx):
        created, _unchanged = services.save_activities(rows, acting_user=ctx.user)
        return created, 0
