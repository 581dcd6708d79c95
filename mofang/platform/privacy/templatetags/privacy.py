"""{% load privacy %}: {{ n|small_count }} shows a lone count, "<5" below the threshold;
a Cell from suppress_row renders itself ({{ cell }})."""

from django import template

from mofang.platform.privacy import suppress_count

register = template.Library()


@register.filter
def small_count(value):
    if value is None or value == "":
        return ""
    try:
        return suppress_count(int(value))
    except (TypeError, ValueError):
        return value
