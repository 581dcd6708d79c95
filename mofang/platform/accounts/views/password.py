"""修改密码: every user's own page, and where a user with a one-time password is sent first."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import services
from ..forms import PasswordChangeForm
from .auth import _safe_next


@login_required
def password_change(request):
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    forced = user.must_change_password
    if request.method == "POST":
        if form.is_valid():
            services.change_own_password(user, form.cleaned_data["new_password1"], acting_user=user)
            update_session_auth_hash(request, user)  # stay signed in with the new password
            messages.success(request, "密码已修改")
            return redirect(_safe_next(request))
        status = 400
    else:
        status = 200
    return render(
        request,
        "accounts/password_change.html",
        {
            "page_title": "修改密码",
            "form": form,
            "forced": forced,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )
