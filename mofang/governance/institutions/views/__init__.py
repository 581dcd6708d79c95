"""校外培训 pages: views parse, check scope (visible_to / get_visible_or_404), call services."""

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse


def case_url(case) -> str:
    """The engine's generic case page (timeline, attachments, action buttons)."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return f"/cases/{case.pk}/"


def errors_into(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form, on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            for m in msgs:
                form.add_error(field if field in form.fields else None, m)
    else:
        for m in exc.messages:
            form.add_error(None, m)


def form_errors(form) -> str:
    """All of a form's errors as one Chinese line, each naming its field."""
    parts = []
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}：{e}" if label and not e.startswith(label) else e for e in errs]
    return "；".join(parts)
