"""Forms of the 清单管理 pages: every posted field is parsed and checked here, each refusal a Chinese
message naming the field. The rules that read the list (units in its region, indicator codes,
numbers taken, the report's month and figures) are services.py's checks, which the forms call and
which the services apply again when they write and audit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.web.formbase import BaseForm, MultipleFileField

from . import services
from .models import PlanKind

YEAR_FORMAT = "年度应为四位数字，如2026"


class PlanForm(BaseForm):
    """新建工作清单: a region's bureau, the year, the kind and the name."""

    owner = forms.TypedChoiceField(
        label="所属教育局",
        coerce=int,
        error_messages={"required": "请选择所属教育局", "invalid_choice": "请选择所属教育局"},
    )
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": YEAR_FORMAT,
            "invalid": YEAR_FORMAT,
            "min_value": "年度应为2000至2100之间的年份",
            "max_value": "年度应为2000至2100之间的年份",
        },
    )
    kind = forms.ChoiceField(
        label="清单类型",
        choices=PlanKind.choices,
        error_messages={"required": "请选择清单类型", "invalid_choice": "请选择清单类型"},
    )
    name = forms.CharField(
        label="清单名称",
        max_length=100,
        error_messages={"required": "请填写清单名称", "max_length": "清单名称不能超过100个字"},
    )
    description = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.pk: r for r in regions}
        self.fields["owner"].choices = [(r.pk, r.name) for r in regions]

    @property
    def owner_unit(self):
        return self.regions[self.cleaned_data["owner"]]


ITEM_LIMITS = {
    "number": 10,
    "category": 100,
    "title": 200,
    "target_text": 2000,
    "measures": 4000,
    "lead_unit": 100,
    "cooperating": 2000,
    "target_value": 30,
    "unit": 10,
    "baseline": 30,
    "direction": 20,
    "indicator_code": 80,
    "milestones": 4000,
}


class ItemForm(BaseForm):
    """新增 / 修改清单事项: the import template's columns as text fields, checked as an import row is
    (services.check_item_form: units in the list's region, known indicator codes, free numbers)."""

    def __init__(self, *args, plan, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.item = plan, item
        for key, header, required, _example in services.COLUMNS:
            if key == "milestones" and item is not None:  # milestones are kept on the item's page
                continue
            limit = ITEM_LIMITS[key]
            self.add_field(
                key,
                forms.CharField(
                    label=header,
                    required=required,
                    max_length=limit,
                    widget=forms.Textarea if key in {"target_text", "measures", "milestones"} else forms.TextInput,
                    error_messages={"required": f"{header}不能为空", "max_length": f"{header}不能超过{limit}个字"},
                ),
            )

    def clean(self):
        data = super().clean()
        # the list's own checks run even beside a refused field, so that every problem is named at once
        raw = {key: data.get(key) or "" for key in self.fields}
        try:
            spec = services.check_item_form(self.plan, raw, item=self.item)
        except ValidationError as exc:
            self.add_service_errors(exc)
        else:
            if not self.errors:
                data["spec"] = spec
        return data


class ReportForm(BaseForm):
    """The lead unit's monthly 进展: month, text, percent or value, milestones done, attachments."""

    month = forms.CharField(
        label="月份",
        max_length=7,
        error_messages={"required": "月份格式应为YYYY-MM，如2026-05", "max_length": "月份格式应为YYYY-MM，如2026-05"},
    )
    text = forms.CharField(
        label="进展情况",
        max_length=2000,
        error_messages={"required": "请填写进展情况", "max_length": "进展情况不能超过2000字"},
    )
    percent = forms.CharField(label="完成进度", max_length=30, required=False)
    value = forms.CharField(label="完成值", max_length=30, required=False)
    milestones = forms.TypedMultipleChoiceField(label="时间节点", coerce=int, required=False)
    files = MultipleFileField(label="附件")  # type: ignore[assignment]  # a field, not Form.files (the metaclass moves it)

    def __init__(self, *args, item, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["milestones"].choices = [(m.pk, str(m)) for m in milestones]

    def clean(self):
        data = super().clean()
        try:
            services.check_report(
                self.item,
                month=data.get("month", ""),
                text=data.get("text", ""),
                percent=data.get("percent"),
                value=data.get("value"),
                files=data.get("files") or [],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            self.add_service_errors(exc)
        return data


class MilestoneForm(BaseForm):
    """The list's owner adds a 时间节点 (date + description) or removes one."""

    action = forms.ChoiceField(
        label="操作",
        required=False,
        choices=[("add", "新增"), ("remove", "删除")],
        error_messages={"invalid_choice": "操作：未知操作"},
    )
    due = forms.DateField(label="节点日期", required=False, error_messages={"invalid": "节点日期格式应为YYYY-MM-DD"})
    description = forms.CharField(
        label="节点内容", max_length=200, required=False, error_messages={"max_length": "节点内容不能超过200个字"}
    )
    milestone = forms.IntegerField(label="时间节点", required=False, error_messages={"invalid": "时间节点不存在"})

    def clean(self):
        data = super().clean()
        if data.get("action") == "remove":
            if data.get("milestone") is None and "milestone" not in self.errors:
                self.add_error("milestone", gettext("时间节点不存在"))
        else:
            if data.get("due") is None and "due" not in self.errors:
                self.add_error("due", gettext("节点日期格式应为YYYY-MM-DD"))
            if not data.get("description") and "description" not in self.errors:
                self.add_error("description", gettext("请填写节点内容"))
        return data
