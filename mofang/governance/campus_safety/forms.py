"""Forms of the 校园安全 pages: parsing only; the rules live in the services (services, checklist)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext

from mofang.platform.web.formbase import BaseForm

from . import checklist
from .cases import CATEGORIES, SEVERITIES
from .models import SchoolSafetyProfile

TOPICS = ("交通安全", "消防安全", "食品安全", "防溺水", "治安防范", "施工安全", "生态环境", "综合指导")


class HazardForm(forms.Form):
    school = forms.TypedChoiceField(
        label="上报学校",
        coerce=int,
        error_messages={"required": "请选择上报学校", "invalid_choice": "请选择您所在的学校"},
    )
    category = forms.ChoiceField(
        label="隐患类别",
        choices=CATEGORIES,
        error_messages={"required": "请选择隐患类别", "invalid_choice": "请从列表中选择隐患类别"},
    )
    severity = forms.ChoiceField(
        label="紧急程度",
        choices=SEVERITIES,
        initial="normal",
        error_messages={"required": "请选择紧急程度", "invalid_choice": "请从列表中选择紧急程度"},
    )
    title = forms.CharField(
        label="标题", max_length=200, error_messages={"required": "请填写标题", "max_length": "标题不能超过200个字"}
    )
    description = forms.CharField(
        label="隐患描述",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "描述不能超过5000个字"},
    )
    address = forms.CharField(
        label="地点", max_length=200, required=False, error_messages={"max_length": "地点不能超过200个字"}
    )
    lon = forms.DecimalField(
        label="经度",
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        error_messages={
            "invalid": "经度不是有效的数字",
            "min_value": "经度必须在-180到180之间",
            "max_value": "经度必须在-180到180之间",
            "max_decimal_places": "经度最多6位小数",
            "max_digits": "经度不是有效的数字",
        },
    )
    lat = forms.DecimalField(
        label="纬度",
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        error_messages={
            "invalid": "纬度不是有效的数字",
            "min_value": "纬度必须在-90到90之间",
            "max_value": "纬度必须在-90到90之间",
            "max_decimal_places": "纬度最多6位小数",
            "max_digits": "纬度不是有效的数字",
        },
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]

    def clean(self):
        data = super().clean()
        if (
            (data.get("lon") is None) != (data.get("lat") is None)
            and not self.errors.get("lon")
            and not self.errors.get("lat")
        ):
            self.add_error("lat", gettext("经度和纬度须同时填写"))
        return data


class VisitForm(forms.Form):
    department = forms.TypedChoiceField(
        label="部门", coerce=int, error_messages={"required": "请选择部门", "invalid_choice": "请选择您所在的部门"}
    )
    school = forms.TypedChoiceField(
        label="学校", coerce=int, error_messages={"required": "请选择学校", "invalid_choice": "请选择本区县的学校"}
    )
    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写日期", "invalid": "日期格式应为2026-11-23"},
    )
    topic = forms.ChoiceField(
        label="主题",
        choices=[(t, t) for t in TOPICS],
        error_messages={"required": "请选择主题", "invalid_choice": "请从列表中选择主题"},
    )
    result = forms.CharField(
        label="指导情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "指导情况不能超过2000个字"},
    )

    def __init__(self, *args, departments=(), schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]

    def clean_date(self):
        d = self.cleaned_data["date"]
        if not dt.date(2000, 1, 1) <= d <= dt.date(2100, 12, 31):
            raise forms.ValidationError(gettext("日期须在2000年至2100年之间"))
        return d


class SafetyChecklistForm(BaseForm):
    """一校一单 on the school's page: its 安全档案 (action=profile) or this month's ticks with a note
    each. Which items are the school's, and whether the month may be ticked, is checklist.py's check."""

    action = forms.ChoiceField(
        label="操作",
        required=False,
        choices=[("profile", "保存档案"), ("ticks", "保存一校一单")],
        error_messages={"invalid_choice": "操作：未知操作"},
    )
    school = forms.IntegerField(label="学校", required=False, error_messages={"invalid": "学校：请选择学校"})
    period = forms.CharField(label="周期", required=False, max_length=7)
    item = forms.MultipleChoiceField(
        label="检查项",
        required=False,
        choices=[(i.code, i.label) for i in checklist.CATALOGUE],
        error_messages={"invalid_choice": "检查项：不在本校的一校一单中"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in checklist.FLAGS:
            label = SchoolSafetyProfile._meta.get_field(name).verbose_name
            self.add_field(name, forms.BooleanField(label=str(label), required=False))
        for i in checklist.CATALOGUE:
            self.add_field(
                f"note_{i.code}",
                forms.CharField(
                    label=f"{i.label}的情况说明",
                    required=False,
                    max_length=200,
                    error_messages={"max_length": f"{i.label}的情况说明不能超过200个字"},
                ),
            )

    PERIOD = "周期：请按“年-月”填写，如2026-11"

    def clean_period(self):
        raw = self.cleaned_data["period"]
        if not raw:
            return checklist.current_period()
        period = checklist.parse_period(raw)
        if period is None:
            raise forms.ValidationError(self.PERIOD)
        return period

    @property
    def flags(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in checklist.FLAGS}

    @property
    def ticked(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"note_{code}"] for code in self.cleaned_data["item"]}
