"""Province and city administrators must pass TOTP before anything else (SPEC §1.3); sessions
expire when idle without a database write on every request."""

import time

from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# Only the pages that lead to the second factor are open before it: the account-management pages
# under /accounts/users/ are not (they were all exempt while /accounts/ held only the login pages).
EXEMPT_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/otp/", "/accounts/phone/", "/static/", "/api/")
# Open to a user who must change the password first: the change page itself, the way out, and the
# second factor (a province/city administrator passes TOTP before anything, the change included).
PASSWORD_EXEMPT_PREFIXES = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/login/",
    "/accounts/otp/",
    "/static/",
)


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


class PasswordChangeRequiredMiddleware:
    """After a reset or a new account's one-time password, nothing but 修改密码 until it is done.

    A page request is redirected; an htmx request gets HX-Redirect (a redirect would be swapped into
    the page fragment); an API call with the browser session gets a JSON 403 (token clients are
    integrations authenticated by DRF, not by this session, and are not concerned).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(PASSWORD_EXEMPT_PREFIXES)
        ):
            target = reverse("accounts:password_change")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先修改初始密码后再使用。"}, status=403)
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(f"{target}?next={request.path}")
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
    IDLE_REFRESH_SECONDS ago (SessionMiddleware then saves it with a new expiry).

    Only a session that is itself signed in is touched: a token-authenticated API call has an
    authenticated request.user (DRF sets it) but an empty session, and writing to that one would
    make SessionMiddleware create a new session row on every call.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get("_refreshed", 0) >= IDLE_REFRESH_SECONDS:
                session["_refreshed"] = now
        return response
