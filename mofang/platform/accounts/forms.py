from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext, gettext_lazy


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": "用户名或密码错误。连续输错5次将锁定账号15分钟。", "inactive": "该账号已停用。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class TOTPForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(gettext("动态验证码应为6位数字"))
        return token


class PhoneLoginForm(forms.Form):
    """Step 1: the phone; step 2 (action=verify): the phone again plus the SMS code."""

    phone = forms.CharField(
        label="手机号", max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"})
    )
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_phone(self):
        from mofang.platform.people.identity import validate_mobile

        return validate_mobile(self.cleaned_data["phone"])


class UnlockForm(forms.Form):
    """短信验证解锁. Step 1: the username or phone; step 2 (action=verify): the same plus the SMS code."""

    account = forms.CharField(
        label="用户名或手机号",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        error_messages={"required": gettext_lazy("请填写用户名或手机号")},
    )
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_account(self):
        from .unlock import normalize_name

        return normalize_name(self.cleaned_data["account"])


# --- account management (账号与权限管理) ----------------------------------------------------------

DELIVERY_CHOICES = [("show", "在页面上显示一次（当面告知本人）"), ("sms", "短信发送到本人手机")]


def role_choices():
    """Every staff role (家长 accounts come from the phone login; an API key's service roles come with
    the key, made on the 接口密钥 page); the grant table decides."""
    from .models import Role
    from .registry import service_roles

    roles = Role.objects.exclude(code="parent").exclude(code__in=service_roles()).order_by("rank")
    return [("", "请选择角色")] + [(r.code, r.name) for r in roles]


def resolve_org(value: str):
    """An org unit from its code (学校标识码/行政区划代码) or "#<编号>" for units without a code.

    Looked up in the whole tree on purpose: an org outside the actor's subtree must be refused by
    name ("不在您的管理范围内"), not reported as unknown. Codes of schools and regions are public.
    """
    from mofang.platform.orgs.models import OrgUnit

    value = (value or "").strip()
    if value.startswith("#") and value[1:].isdigit():
        org = OrgUnit.objects.filter(pk=int(value[1:])).first()
    else:
        org = OrgUnit.objects.filter(code=value.split(" ", 1)[0]).first() if value else None
    if org is None:
        raise forms.ValidationError(gettext("机构不存在：请填写机构代码或从列表中选择"))
    return org


class OrgField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "机构")
        kwargs.setdefault("help_text", "填写学校标识码或行政区划代码，或从列表中选择")
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "org-options", "autocomplete": "off"}))
        super().__init__(max_length=40, **kwargs)

    def clean(self, value):
        return resolve_org(super().clean(value))


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=())
    org = OrgField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices()
        self.fields["role"].error_messages["required"] = "请选择角色"
        self.fields["role"].error_messages["invalid_choice"] = "角色不存在"
        self.fields["org"].error_messages["required"] = "请填写机构"


class AccountCreateForm(GrantForm):
    staff_no = forms.CharField(
        label="工号",
        max_length=30,
        required=False,
        help_text="从教职工名册创建：填写工号，姓名和手机号取自名册，并与该教职工关联",
    )
    username = forms.CharField(label="用户名", max_length=150, error_messages={"required": "请填写用户名"})
    full_name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    delivery = forms.ChoiceField(label="初始密码", choices=DELIVERY_CHOICES, initial="show", widget=forms.RadioSelect)

    field_order = ["staff_no", "username", "full_name", "phone", "role", "org", "delivery"]

    def clean(self):
        data = super().clean()
        if not data.get("staff_no") and not (data.get("full_name") or "").strip():
            self.add_error("full_name", gettext("请填写姓名（或填写工号，从教职工名册带出）"))
        return data


class AccountEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名"})
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确"})


class ResetPasswordForm(forms.Form):
    delivery = forms.ChoiceField(
        label="临时密码",
        choices=DELIVERY_CHOICES,
        initial="show",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择临时密码的交付方式", "invalid_choice": "请选择临时密码的交付方式"},
    )


class PasswordChangeForm(forms.Form):
    """The user's own change: the current password, then the new one twice (the policy applies)."""

    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写当前密码"},
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请填写新密码"},
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        from django.contrib.auth import password_validation

        self.fields["new_password1"].help_text = "；".join(password_validation.password_validators_help_texts())

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(gettext("当前密码不正确"))
        return old

    def clean(self):
        data = super().clean()
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", gettext("两次输入的新密码不一致"))
        elif new1 and data.get("old_password") and new1 == data["old_password"]:
            self.add_error("new_password1", gettext("新密码不能与当前密码相同"))
        elif new1:
            from django.contrib.auth import password_validation

            try:
                password_validation.validate_password(new1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data
