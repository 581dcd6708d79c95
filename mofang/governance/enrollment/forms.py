"""Forms of the bureau pages (parsing only: the services decide and write)."""

from decimal import Decimal

from django import forms

from .models import DEFAULT_RED, DEFAULT_YELLOW, Stage


class PolicyForm(forms.Form):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)
    yellow_from = forms.DecimalField(label="黄色预警起点（%）", min_value=Decimal("0.1"), max_value=1000,
                                     decimal_places=1, initial=DEFAULT_YELLOW)
    orange_from = forms.DecimalField(label="橙色预警起点（%）", min_value=Decimal("0.1"), max_value=1000,
                                     decimal_places=1, required=False, help_text="留空表示不设橙色预警")
    red_from = forms.DecimalField(label="红色预警起点（%）", min_value=Decimal("0.1"), max_value=1000,
                                  decimal_places=1, initial=DEFAULT_RED)


class PlanForm(forms.Form):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)
    stage = forms.ChoiceField(label="学段", choices=Stage.choices)
    classes = forms.IntegerField(label="班级数", min_value=1, max_value=60)
    class_size = forms.IntegerField(label="班额", min_value=1, max_value=60)


class OverflowForm(forms.Form):
    overflow_code = forms.CharField(label="分流学校标识码", max_length=10, required=False,
                                    help_text="留空表示不设分流学校")
    overflow_note = forms.CharField(label="分流说明", max_length=200, required=False)
