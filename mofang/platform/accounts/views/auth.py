"""Login (argon2 + lock-out by django-axes), logout and the TOTP second factor."""

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
from django_otp import login as otp_login

from mofang.platform.audit.services import AuditAction, record

from .. import phone as phone_login_service
from ..forms import LoginForm, PhoneLoginForm, TOTPForm
from ..services import totp_device_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        from mofang.platform.web.registry import PUBLIC_LINKS

        ctx = super().get_context_data(**kwargs)
        ctx["public_links"] = [(label, reverse(name), text) for label, name, text in PUBLIC_LINKS]
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        memberships = user.active_memberships()
        record(
            actor=user,
            action=AuditAction.LOGIN,
            summary=f"{user} 登录",
            org=memberships[0].org if memberships else None,
        )
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
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "验证尝试过于频繁，请稍候几秒再试")
        elif device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", "动态验证码错误或已过期，请重新输入")
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
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                memberships = user.active_memberships()
                record(
                    actor=user,
                    action=AuditAction.LOGIN,
                    summary=f"{user} 手机验证码登录",
                    org=memberships[0].org if memberships else None,
                )
                return redirect(_safe_next(request))
        else:
            try:
                phone_login_service.request_code(number)
            except ValidationError as exc:
                form.add_error("phone", exc)
                sent = request.POST.get("action") == "resend"
            else:
                sent = True
    if request.method == "POST" and form.errors:
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
