"""清单事项 through the platform's one import path (SPEC §1.7): the items of one work plan from the
xlsx template, started from the plan's page (/imports/workplans_items/?plan=<pk>).

Every row is checked as the item form checks an item (services.ItemChecker: required columns,
lengths, units within the list's region, known indicator codes, numbers free in the list and not
repeated in the file, milestones within the list's year); every bad row is reported (row,
column, Chinese reason) and nothing is written unless all rows are good. The platform gives the
template, the upload page, the job with its progress, the annotated error file and the audit entry.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.imports.base import Column, Importer, RowError, register_importer

from . import services
from .models import WorkPlan

MANAGE, VIEW_PLAN = "workplans.manage", "workplans.view_plan"
CODE = "workplans_items"
MAX_ROWS = 500
HELP = {
    "number": "1至9999的整数，在清单中不能重复",
    "lead_unit": "本地区内的区县、学校或部门名称（重名时填机构代码）；“本局”指清单所属教育局",
    "cooperating": "同牵头单位，多个单位之间用“、”分隔",
    "target_value": "数字；填写后按完成值计算进度",
    "baseline": "数字；填写年初基数时须填写目标值",
    "direction": "“达到或超过”（默认）或“不超过”",
    "indicator_code": "填写指标代码的事项按数据自动计算完成值",
    "milestones": "“日期 内容”，多个节点用“；”分隔，日期须在清单年度内",
}


def import_url(plan) -> str:
    return f"{reverse('imports:upload', args=[CODE])}?plan={plan.pk}"


class WorkItemImporter(Importer):
    code = CODE
    title = "清单事项"
    permission = MANAGE
    target_param = "plan"
    natural_key = "number"
    chunk_size = MAX_ROWS + 1
    unreadable_message = "无法读取文件：请上传由模板填写的 Excel（.xlsx）文件"

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]  # this year's columns, computed when read
        year = str(timezone.localdate().year)
        return [
            Column(key, header, required=required, example=example.replace("2021", year), help=HELP.get(key, ""))
            for key, header, required, example in services.COLUMNS
        ]

    # --- the plan imported into ---------------------------------------------------------------
    def resolve_target(self, user, value):
        if not str(value or "").isdigit():
            return None
        plan = WorkPlan.objects.visible_to(user, VIEW_PLAN).select_related("owner").filter(pk=int(value)).first()
        return plan if plan is not None and has_perm_at(user, MANAGE, plan.owner) else None

    def target_org(self, target):
        return target.owner

    # --- reading ------------------------------------------------------------------------------
    def header_map(self, header):
        missing = [c.header for c in self.columns if c.required and c.header not in header]
        if missing:
            raise ValidationError(dict.fromkeys(missing, "缺少此列，请使用模板"))
        return super().header_map(header)

    def row_parser(self, positions):
        """Cells are text; every check, an empty required cell included, is the checker's (so that a
        row's problems are all named at once). 序号 becomes the row's key: its number when it is one,
        else a key of its own (a blank or bad 序号 repeats no other row)."""
        parse = super().row_parser(positions)
        state = {"rows": 0}

        def parse_row(row):
            values, errors = parse(row)
            if not any(c.strip() for c in row):
                return values, errors  # a row of blanks: skipped
            state["rows"] += 1
            raw = values.get("number") or ""
            values["number"] = int(raw) if raw.isdigit() and 1 <= int(raw) <= 9999 else ("row", state["rows"], raw)
            if state["rows"] == MAX_ROWS + 1:
                return values, [("", f"一次最多导入{MAX_ROWS}项")]
            return values, None

        return parse_row

    def duplicate_message(self, value, first_line):
        return f"序号{value}与第{first_line}行重复"

    # --- checking and writing -----------------------------------------------------------------
    def prepare(self, ctx):
        plan = ctx.target
        ctx.state["checker"] = services.ItemChecker(plan)
        ctx.state["taken"] = set(plan.items.values_list("number", flat=True))

    def clean_row(self, values, ctx):
        number = values["number"]
        raw = {c.key: values.get(c.key) or "" for c in self.columns}
        raw["number"] = str(number) if isinstance(number, int) else number[2]
        spec, errors = ctx.state["checker"].check(raw, taken=ctx.state["taken"])
        if errors:
            raise RowError.several([(services.LABELS[key], message) for key, message in errors])
        return {"spec": spec}

    def write(self, rows, ctx):
        return len(services.add_imported_items(ctx.target, [r["spec"] for r in rows])), 0


def register() -> None:
    register_importer(WorkItemImporter())
