"""Helpers shared by the time-bank views: form errors become 400 responses naming the field."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from mofang.platform.accounts.scope import get_visible_or_404

from ..models import Account, Bank


def render_form(request, template: str, ctx: dict, *, invalid: bool = False):
    """Render a form page or its htmx partial; a rejected submission answers 400."""
    if request.htmx and "#" not in template:
        template = f"{template}#form"
    return render(request, template, ctx, status=400 if invalid else 200)


def bank_for(request, pk, perm: str = "timebank.view_bank"):
    return get_visible_or_404(Bank, request.user, perm, pk=pk)


def accounts_of(request, bank, perm: str = "timebank.view_account"):
    """The accounts of `bank` this user may see (the scope layer first, then the bank)."""
    return Account.objects.visible_to(request.user, perm).filter(bank=bank)


def forbidden(request, exc: PermissionDenied):
    return render(
        request, "timebank/forbidden.html", {"page_title": "没有权限", "message": str(exc) or "您没有权限"}, status=403
    )
