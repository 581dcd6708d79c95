"""校园安全 pages: views parse, check scope (visible_to / get_visible_or_404), call the services."""

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse


def case_url(case) -> str:
    """The engine's generic case page (timeline and action buttons) — never one of our own."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:  # the case pages not mounted: the address they will have
        return f"/cases/{case.pk}/"


def errors_into(form, exc: ValidationError, default_field: str | None = None) -> None:
    """Put a service's refusal on the form, on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else default_field
            for m in messages:
                form.add_error(target if target in form.fields else None, m)
    else:
        for m in exc.messages:
            form.add_error(None, m)


def form_data(request, *prefill: str):
    """The POST data, with the named fields taken from the address when the form left them out
    (a link can preselect the school or department the form is for)."""
    data = request.POST.copy()
    for name in prefill:
        if name not in data and request.GET.get(name):
            data[name] = request.GET[name]
    return data
