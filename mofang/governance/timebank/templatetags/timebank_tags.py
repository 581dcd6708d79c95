from django import template

from ..models.statements import hours_text

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours with one decimal place, as statements and SMS print them."""
    if value is None or value == "":
        return ""
    return hours_text(value)


@register.filter
def signed_hours(value) -> str:
    text = hours_text(value)
    return text if text.startswith("-") else f"+{text}"
