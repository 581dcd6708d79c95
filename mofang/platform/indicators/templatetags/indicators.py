"""Number formatting for indicator values: thousands separators, no trailing zeros."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def ind_number(value):
    if value is None or value == "":
        return ""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"
