"""BaseForm: Django's own checks answer in Chinese naming the field (a NUL character included), a
field's own message is kept, and a service's refusal lands on the field it names."""

from django import forms
from django.core.exceptions import ValidationError

from mofang.platform.web.formbase import BaseForm


class ReportForm(BaseForm):
    name = forms.CharField(label="清单名称", max_length=5)
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    kind = forms.ChoiceField(label="类别", choices=[("task", "任务")])
    day = forms.DateField(label="日期", required=False)
    note = forms.CharField(label="说明", required=False, error_messages={"max_length": "太长了"}, max_length=3)


def test_each_refusal_names_its_field_in_chinese():
    form = ReportForm({"name": "名称\x00", "percent": "120", "kind": "order", "day": "2026-02-30", "note": "长长长长"})
    assert not form.is_valid()
    assert form.error_lines() == [
        "清单名称：含有非法字符（NUL），请删除后重试",
        "完成进度（％）：不能大于100",
        "类别：请从给定选项中选择",
        "日期：请填写有效日期（年-月-日）",
        "说明：太长了",
    ]


def test_missing_and_mistyped_fields():
    form = ReportForm({"percent": "一百"})
    assert not form.is_valid()
    assert form.error_lines() == ["清单名称：请填写", "完成进度（％）：请填写整数", "类别：请选择"]


def test_a_service_refusal_lands_on_the_field_it_names():
    form = ReportForm({"name": "要点", "percent": "50", "kind": "task"})
    assert form.is_valid()
    form.add_service_errors(ValidationError({"name": "已有同名清单", "owner": "请选择所属教育局"}))
    form.add_service_errors(ValidationError("您没有权限"))
    assert form.named_errors()["name"] == ["清单名称：已有同名清单"]
    assert form.error_lines() == ["请选择所属教育局", "您没有权限", "清单名称：已有同名清单"]
