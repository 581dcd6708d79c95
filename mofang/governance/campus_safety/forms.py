"""Forms of the 校园安全 pages: parsing only; the rules live in the services (services, checklist)."""

import datetime as dt

from django import forms

from .cases import CATEGORIES, SEVERITIES

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
            self.add_error("lat", "经度和纬度须同时填写")
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
            raise forms.ValidationError("日期须在2000年至2100年之间")
        return d
