"""Login (argon2 + lock-out per username and address by django-axes + the platform's rate limit per
client address), logout, the phone + SMS code login, 短信验证解锁 and the TOTP second factor."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django_otp import login as otp_login

from .. import backends
from .. import phone as phone_login_service
from .. import unlock as unlock_service
from ..forms import LoginForm, PhoneLoginForm, TOTPForm, UnlockForm
from ..ratelimit import Limit, Rate, RateLimited, client_ip
from ..services import record_login, totp_device_for, verify_totp

# Failed logins per client address, whatever the username (guessing across accounts, which the
# lock-out per username and address does not see). Generous: a whole school may sit behind one NAT address.
LOGIN_FAILURES = Limit(
    "accounts.login.address", (Rate(50, 900, "登录失败次数过多：同一网络15分钟内最多失败50次，请稍后再试"),)
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        from mofang.platform.web.registry import PUBLIC_LINKS

        ctx = super().get_context_data(**kwargs)
        ctx["public_links"] = [(label, reverse(name), text) for label, name, text, _tab in PUBLIC_LINKS]
        return ctx

    def post(self, request, *args, **kwargs):
        try:
            LOGIN_FAILURES.check(client_ip(request))
        except RateLimited as exc:
            ctx = self.get_context_data(form=self.form_class(request), refusal=exc.messages[0])
            return self.render_to_response(ctx, status=exc.status)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        LOGIN_FAILURES.hit(client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        record_login(form.get_user())
        return response


def _safe_next(request, default="web:home"):
    nxt = request.GET.get("next") or request.POST.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


@login_required
def otp(request):
    """Verify a TOTP code; a first-time administrator is shown the QR code to enrol first."""
    device, enrolling = totp_device_for(request.user)
    form = TOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verify_totp(device, form.cleaned_data["token"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            otp_login(request, device)
            return redirect(_safe_next(request))
    qr_svg = None
    if enrolling:
        img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buf = io.BytesIO()
        img.save(buf)
        qr_svg = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
    return render(
        request,
        "accounts/otp.html",
        {
            "form": form,
            "enrolling": enrolling,
            "qr": qr_svg,
            "page_title": "二次验证",
            "secret": base64.b32encode(device.bin_key).decode() if enrolling else None,
            "next": request.GET.get("next", ""),
        },
    )


logout = auth_views.LogoutView.as_view()


def phone(request):
    """Parents and the public: phone → SMS code → logged in (the code is sent by the outbox)."""
    form = PhoneLoginForm(request.POST or None)
    sent = False
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["phone"]
        if request.POST.get("action") == "verify":
            sent = True
            try:
                user = phone_login_service.verify_code(number, form.cleaned_data["code"])
            except ValidationError as exc:
                form.add_error("code", exc)
            else:
                auth_login(request, user, backend=backends.PATH)
                record_login(user, how="手机验证码")
                return redirect(_safe_next(request))
        else:
            try:
                phone_login_service.request_code(number, client_ip=client_ip(request))
            except ValidationError as exc:
                form.add_error("phone", exc)
                sent = request.POST.get("action") == "resend"
                status = getattr(exc, "status", 400)
            else:
                sent = True
    if request.method == "POST" and form.errors and status == 200:
        status = 400
    return render(
        request,
        "accounts/phone.html",
        {
            "form": form,
            "sent": sent,
            "page_title": "手机验证码登录",
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


def unlock(request):
    """短信验证解锁 (public): username or phone → a code to the account's phone → the lock-out is
    cleared. Every name gets the same answers, so the page tells nobody whether an account exists."""
    form = UnlockForm(request.POST or None, initial={"account": request.GET.get("account", "")[:150]})
    sent = False
    status = 200
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["account"]
        if request.POST.get("action") == "verify":
            sent = True
            if not form.cleaned_data["code"]:
                form.add_error("code", gettext("请填写短信验证码"))
            else:
                try:
                    unlock_service.unlock_with_code(name, form.cleaned_data["code"])
                except ValidationError as exc:
                    form.add_error("code", exc)
                else:
                    return render(request, "accounts/unlocked.html", {"page_title": "账号已解锁"})
        else:
            try:
                unlock_service.request_unlock_code(name, client_ip=client_ip(request))
            except ValidationError as exc:
                form.add_error("account", exc)
                sent = request.POST.get("action") == "resend"
                status = getattr(exc, "status", 400)
            else:
                sent = True
    if request.method == "POST" and form.errors and status == 200:
        status = 400
    return render(
        request, "accounts/unlock.html", {"form": form, "sent": sent, "page_title": "短信验证解锁"}, status=status
    )
