"""Province and city administrators must pass TOTP before anything else (SPEC §1.3); sessions
expire when idle without a database write on every request."""

import time

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


# A signed-in session is saved, and so its expiry moved SESSION_COOKIE_AGE ahead, at most this
# often: idle expiry to within five minutes, instead of a session write (UPDATE and COMMIT) on
# every request, which was most of a signed-in page's cost in the registration surge.
IDLE_REFRESH_SECONDS = 300


def mark_session_fresh(sender, request, user, **kwargs):
    """At login the session is written anyway: start the refresh window there."""
    if request is not None and hasattr(request, "session"):
        request.session["_refreshed"] = int(time.time())


class IdleSessionMiddleware:
    """Idle expiry: touch the session of a signed-in user when it was last refreshed more than
    IDLE_REFRESH_SECONDS ago (SessionMiddleware then saves it with a new expiry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_refreshed", 0) >= IDLE_REFRESH_SECONDS:
                session["_refreshed"] = now
        return response
