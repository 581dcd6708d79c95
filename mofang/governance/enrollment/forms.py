"""Forms of the bureau pages (parsing only: the services decide and write)."""

from decimal import Decimal

from django import forms

from .models import DEFAULT_RED, DEFAULT_YELLOW


class PolicyForm(forms.Form):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)
    yellow_from = forms.DecimalField(label="黄色预警起点（%）", min_value=Decimal("0.1"), max_value=1000,
                                     decimal_places=1, initial=DEFAULT_YELLOW)
    orange_from = forms.DecimalField(label="橙色预警起点（%）", min_value=Decimal("0.1"), max_value=1000,
                                     decimal_places=1, required=False, help_text="留空表示不设橙色预警")
    red_from = forms.DecimalField(label="红色预警起点（%）", min_value=Decimal("0.1"), max_value=1000,
                                  decimal_places=1, initial=DEFAULT_RED)
