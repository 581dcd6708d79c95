"""Numbers as a teacher reads them: 12.5 not 12.50, 0 not 0.00; signed for changes."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pts(value) -> str:
    if value is None or value == "":
        return "—"
    d = Decimal(value).quantize(Decimal("0.01"))
    text = f"{d.normalize():f}"
    return "0" if text in ("-0", "0") else text


@register.filter
def signed(value) -> str:
    text = pts(value)
    return text if text.startswith("-") or text in ("0", "—") else f"+{text}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def category_label(code) -> str:
    from ..models import Category

    try:
        return str(Category(code).label)
    except ValueError:
        return ""
