"""Province and city administrators must pass TOTP before anything else (SPEC §1.3)."""

from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and user.requires_second_factor
            and not user.is_verified()
        ):
            return redirect(f"{reverse('accounts:otp')}?next={request.path}")
        return self.get_response(request)
